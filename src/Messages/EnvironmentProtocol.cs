namespace Alrs.Messages;

// Environment actor control and status.

/// <summary>Asks an environment actor for its <see cref="EnvironmentStatus"/>.</summary>
public sealed record GetStatus
{
    public static readonly GetStatus Instance = new();
    GetStatus() { }
}

/// <summary>
/// Where an environment actor is: the episode it samples, decisions taken in it, the policy
/// version it acts with (-1 before the first one arrives) and fragments not yet acknowledged.
/// </summary>
public sealed record EnvironmentStatus(
    string EnvironmentId,
    long EpisodeId,
    int DecisionsInEpisode,
    long PolicyVersion,
    long EpisodesCompleted,
    int UnacknowledgedFragments);

/// <summary>Makes the environment actor throw on its next decision (fault-injection for tests and drills).</summary>
public sealed record InjectFault(string Reason);
