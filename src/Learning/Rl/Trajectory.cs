namespace Alrs.Learning.Rl;

/// <summary>
/// One decision as the acting policy saw it. <see cref="Observation"/> and <see cref="Reward"/>
/// are raw: the learner normalises them with the statistics of <see cref="PolicyVersion"/>,
/// the policy that acted (−1: unknown, the learner's current statistics).
/// </summary>
public sealed record Transition(float[] Observation, float[] Action, float LogProb, float Value, float Reward, bool Done)
{
    public long PolicyVersion { get; init; } = -1;
}

/// <summary>
/// Consecutive transitions of one episode. When the last one is not terminal,
/// <see cref="BootstrapValue"/> is the critic's value of the observation that followed it.
/// <see cref="ReturnBefore"/> is the episode's running discounted return before the first
/// transition (0 when the trajectory starts the episode), so the reward scale's return
/// statistics continue across cuts instead of restarting mid-episode.
/// </summary>
public sealed record Trajectory(IReadOnlyList<Transition> Transitions, float BootstrapValue)
{
    public double ReturnBefore { get; init; }
}
