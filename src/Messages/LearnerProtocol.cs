namespace Alrs.Messages;

// Learner control and status. Environment actors register; the rollout supervisor reports
// failures so the learner can discard broken episodes.

/// <summary>An environment actor (the sender) wants every new policy version.</summary>
public sealed record RegisterEnvironment(string EnvironmentId);

/// <summary>
/// The environment's rollout failed during <see cref="EpisodeId"/>: fragments of that episode
/// still buffered (or still in flight) are discarded.
/// </summary>
public sealed record EnvironmentFailed(string EnvironmentId, long EpisodeId, string Reason);

/// <summary>
/// The environment failed more than the supervisor allows within its window and was stopped
/// for good. Training goes on with the others.
/// </summary>
public sealed record EnvironmentStopped(string EnvironmentId, int Failures, string Reason);

/// <summary>Asks the learner for a <see cref="LearnerStatus"/>.</summary>
public sealed record GetLearnerStatus
{
    public static readonly GetLearnerStatus Instance = new();
    GetLearnerStatus() { }
}

/// <summary>
/// The learner's counters (<see cref="LostNodes"/>: worker nodes lost while it ran). Every fragment received is counted exactly once: as used
/// (its decisions in <see cref="DecisionsUsed"/> or <see cref="BufferedDecisions"/>), as a
/// duplicate, as stale (older than the allowed policy lag), as discarded (its episode failed),
/// as <see cref="Malformed"/> (failed validation) or as <see cref="Refused"/> (out of order, or
/// the buffer was full: not acknowledged, the environment sends it again).
/// <see cref="Store"/> is <c>available</c> or <c>unavailable</c> (commits are failing and retried).
/// <see cref="Controller"/>: the learner's controller id in a population (0 alone). A population
/// answers with its totals and every controller's own status in <see cref="Controllers"/>
/// (null from a single learner). <see cref="Variant"/>: the controller's configuration variant
/// (<c>alrs.population.variants</c>) as <c>key = value, …</c>; empty for none.
/// <see cref="Hyperparameters"/>: the PPO hyperparameters population-based training explores,
/// as the learner uses them now (<c>learning-rate = 0.003, …</c>); a population shows them only
/// in pbt mode (empty otherwise). <see cref="DroppedStale"/> also counts fragments acted by
/// weights that an exploit replaced.
/// </summary>
public sealed record LearnerStatus(
    long Version,
    long Updates,
    double DecisionsPerSecond,
    int EnvironmentsConnected,
    IReadOnlyList<double> RecentReturns,
    long Episodes,
    long FragmentsReceived,
    long DecisionsUsed,
    int BufferedDecisions,
    long DroppedStale,
    long Duplicates,
    long Discarded,
    int LostNodes = 0,
    long Malformed = 0,
    long Refused = 0,
    string Store = LearnerStatus.StoreAvailable,
    int Controller = 0,
    IReadOnlyList<LearnerStatus>? Controllers = null,
    string Variant = "",
    string Hyperparameters = "")
{
    /// <summary>Mean of <see cref="RecentReturns"/>, NaN when there are none.</summary>
    public double MeanRecentReturn => RecentReturns.Count > 0 ? RecentReturns.Average() : double.NaN;

    public const string StoreAvailable = "available", StoreUnavailable = "unavailable";
}

/// <summary>
/// Published on the learner's event stream when the policy store becomes unavailable (a commit
/// or query failed or went unanswered) and when it answers again. <see cref="Cause"/>: why it
/// is unavailable (empty when available again); <see cref="Outage"/>: how long it has been out.
/// </summary>
public sealed record PolicyStoreAvailability(bool Available, string Cause, TimeSpan Outage);

/// <summary>
/// Published when the store stayed unavailable longer than the learner's
/// store-unavailable-timeout: training cannot go on; the learner stops.
/// <see cref="EpisodesNotStored"/>: episodes the learner heard end that no stored version
/// accounts for; <see cref="VersionNotStored"/>: the version that was waiting for the store
/// (-1: none); <see cref="LastStoredVersion"/>: the newest version the store confirmed (-1: none).
/// </summary>
public sealed record PolicyStoreGaveUp(string Cause, TimeSpan Outage, long EpisodesNotStored = 0, long VersionNotStored = -1, long LastStoredVersion = -1);

/// <summary>
/// A worker node became unreachable or left the cluster (<see cref="Address"/> as Akka writes
/// it, e.g. <c>akka.tcp://alrs@127.0.0.1:40117</c>): the learner forgets that node's
/// environments and discards their unfinished episodes. Sent by the cluster host of the learner.
/// </summary>
public sealed record WorkerNodeLost(string Address, string Reason);

/// <summary>
/// Published on the learner's event stream after a version was committed and sent to the
/// environments; carries the update's diagnostics (CleanRL names: losses/...),
/// <see cref="Episodes"/>, the episodes whose last fragment its update trained on (a run's
/// episode count is the sum of these, so a finished run has stored what it counts) and, in a
/// population, the <see cref="Controller"/> that made it.
/// </summary>
public sealed record PolicyPublished(
    long Version,
    int Decisions,
    double Seconds,
    IReadOnlyDictionary<string, double> Metrics,
    int Episodes = 0,
    int Controller = 0);
