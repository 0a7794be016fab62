namespace Alrs.Actors;

/// <summary>
/// A rollout failed: the environment or the acting policy threw during an episode. Carries
/// which environment and episode, so the supervisor can discard exactly that episode.
/// </summary>
public sealed class RolloutException(string environmentId, long episodeId, string message, Exception? inner = null)
    : Exception($"{environmentId} episode {episodeId}: {message}", inner)
{
    public string EnvironmentId { get; } = environmentId;
    public long EpisodeId { get; } = episodeId;
}
