namespace Alrs.Learning.Rl;

/// <summary>
/// One decision as the acting policy saw it. <see cref="Observation"/> and <see cref="Reward"/>
/// are raw: the learner normalises them with its own running statistics.
/// </summary>
public sealed record Transition(float[] Observation, float[] Action, float LogProb, float Value, float Reward, bool Done);

/// <summary>
/// Consecutive transitions of one episode. When the last one is not terminal,
/// <see cref="BootstrapValue"/> is the critic's value of the observation that followed it.
/// </summary>
public sealed record Trajectory(IReadOnlyList<Transition> Transitions, float BootstrapValue);
