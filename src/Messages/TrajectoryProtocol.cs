namespace Alrs.Messages;

// Experience: environment actors sample, the learner consumes. Delivery is at least once:
// the learner acknowledges every fragment and ignores duplicates by
// (EnvironmentId, EpisodeId, Sequence).

/// <summary>One decision as the acting policy saw it; raw observation and reward.</summary>
public sealed record DecisionRecord(float[] Observation, float[] Action, float LogProb, float Value, float Reward, bool Done);

/// <summary>
/// Consecutive decisions of one episode, numbered by <see cref="Sequence"/> from 0 within the
/// episode. <see cref="PolicyVersion"/> is the version that chose them. When the fragment is
/// cut mid-episode, <see cref="BootstrapValue"/> is the critic's value of the next observation.
/// <see cref="DiscountedReturnBefore"/> is the episode's running discounted return of the raw
/// rewards before this fragment's first decision: the environment sees the whole episode, so the
/// learner's reward scale does not restart at fragment cuts. <see cref="Controller"/>: the
/// controller (learner) of a population whose policy chose them and which alone may train on
/// them (0 in a run with one controller).
/// </summary>
public sealed record TrajectoryFragment(
    string EnvironmentId,
    long EpisodeId,
    int Sequence,
    long PolicyVersion,
    IReadOnlyList<DecisionRecord> Decisions,
    float BootstrapValue,
    bool EndsEpisode,
    double DiscountedReturnBefore = 0,
    int Controller = 0);

/// <summary>The learner has counted the fragment (used, dropped as stale, or a duplicate).</summary>
public sealed record FragmentAck(string EnvironmentId, long EpisodeId, int Sequence);

/// <summary>
/// The learner refused the fragment (<see cref="EpisodeId"/>, <see cref="Sequence"/>) because an
/// earlier one of the same environment is missing (lost with a restarted learner, or still in
/// flight): the environment sends its unacknowledged fragments again now, in order, instead of
/// waiting for its ack-timeout.
/// </summary>
public sealed record FragmentGap(string EnvironmentId, long EpisodeId, int Sequence);

/// <summary>
/// The end of one episode: its undiscounted <see cref="Return"/>, the child network's last
/// validation loss and learning rate, and whether training diverged (non-finite loss).
/// <see cref="Controller"/>: the controller whose policy played the episode.
/// </summary>
public sealed record EpisodeSummary(
    string EnvironmentId,
    long EpisodeId,
    long PolicyVersion,
    double Return,
    int Decisions,
    double FinalValidationLoss,
    double FinalLearningRate,
    bool Diverged,
    int Controller = 0);
