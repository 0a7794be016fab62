namespace Alrs.Messages;

// The policy store persists every committed version; the learner publishes a version only
// after the store confirmed it, so every published version is recoverable.

/// <summary>
/// Persist <see cref="Policy"/>. <see cref="ValidationLoss"/> scores this version for "best"
/// (lower is better; NaN when unknown). <see cref="Metrics"/> are the update's diagnostics.
/// <see cref="Watermarks"/>: how far the learner had consumed each environment's fragments
/// when it made this version (restored on recovery, so re-sent fragments are not used twice).
/// <see cref="Scores"/>: final validation losses of episodes that ended since the previous
/// commit, each attributed to the version that played it. <see cref="Exploit"/>: the
/// population-based-training exploit this version is (null for an update), kept with it.
/// </summary>
public sealed record CommitPolicy(
    PolicyVersion Policy,
    double ValidationLoss,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<EnvironmentWatermark>? Watermarks = null,
    IReadOnlyList<VersionScore>? Scores = null,
    PopulationExploit? Exploit = null);

/// <summary>The version is durable (event and weight snapshot written).</summary>
public sealed record PolicyCommitted(long Version);

/// <summary>The version could not be written.</summary>
public sealed record PolicyCommitFailed(long Version, string Reason);

/// <summary>
/// The store is down (a journal or snapshot fault stopped it) and waits for its backoff
/// supervisor to start it again: the request was not handled; ask again later.
/// </summary>
public sealed record PolicyStoreRestarting
{
    public static readonly PolicyStoreRestarting Instance = new();
    PolicyStoreRestarting() { }
}

/// <summary>Asks the store for <see cref="StoredPolicies"/>.</summary>
public sealed record GetStoredPolicies
{
    public static readonly GetStoredPolicies Instance = new();
    GetStoredPolicies() { }
}

/// <summary>
/// What the store holds: the newest version with weights, the best by validation loss (both
/// null when empty), the highest version number ever committed (numbering continues after it)
/// and the versions whose weights are kept, with the fragment watermarks of the last commit.
/// <see cref="Exploits"/>: every population-based-training exploit that made a stored version
/// of this controller, oldest first (empty outside pbt).
/// </summary>
public sealed record StoredPolicies(
    PolicyVersion? Latest,
    PolicyVersion? Best,
    double BestValidationLoss,
    long LastVersionNumber,
    IReadOnlyList<long> KeptVersions,
    IReadOnlyList<EnvironmentWatermark>? Watermarks = null,
    IReadOnlyList<PopulationExploit>? Exploits = null);

/// <summary>
/// How far the learner has consumed one environment's fragments: every fragment of
/// <see cref="EnvironmentId"/> up to (<see cref="EpisodeId"/>, <see cref="Sequence"/>), in
/// (episode, sequence) order, was used or counted. Persisted with every committed version, so
/// a fragment re-sent to a restarted learner is recognised as already used.
/// </summary>
public sealed record EnvironmentWatermark(string EnvironmentId, long EpisodeId, int Sequence);

/// <summary>Final validation losses of episodes one policy version played: their sum and count.</summary>
public sealed record VersionScore(long Version, double LossSum, int Episodes);

