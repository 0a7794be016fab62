using Alrs.Learning.Rl;

namespace Alrs.Learning.Ppo;

/// <summary>One episode as played: the trajectory to learn from and its undiscounted return.</summary>
public sealed record Episode(Trajectory Trajectory, double Return, IReadOnlyList<StepResult> Steps);

/// <summary>Plays episodes on an environment with any policy.</summary>
public static class Rollout
{
    /// <summary>
    /// Resets <paramref name="environment"/> with <paramref name="seed"/> and plays until done or
    /// <paramref name="maxDecisions"/>; a cut episode bootstraps from <paramref name="bootstrap"/>
    /// of the observation that followed (0 when none is given).
    /// </summary>
    public static Episode Play(ILearningEnvironment environment, int seed, Func<float[], PolicyDecision> policy,
        int maxDecisions = 10_000, Func<float[], float>? bootstrap = null)
    {
        var observation = environment.Reset(seed);
        var transitions = new List<Transition>();
        var steps = new List<StepResult>();
        double total = 0;
        while (transitions.Count < maxDecisions)
        {
            var decision = policy(observation);
            var step = environment.Step(decision.Action);
            transitions.Add(new Transition(observation, decision.Action, decision.LogProb, decision.Value, step.Reward, step.Done));
            steps.Add(step);
            total += step.Reward;
            observation = step.Observation;
            if (step.Done) break;
        }
        var last = transitions.Count > 0 && transitions[^1].Done;
        var bootstrapValue = last || bootstrap is null ? 0f : bootstrap(observation);
        return new Episode(new Trajectory(transitions, bootstrapValue), total, steps);
    }

    /// <summary>A policy that picks uniformly at random within the action space (the baseline to beat).</summary>
    public static Func<float[], PolicyDecision> UniformRandom(ActionSpace space, Random random) => _ =>
        new PolicyDecision(
            [space.IsDiscrete ? random.Next(space.Size) : (float)(space.Low + (space.High - space.Low) * random.NextDouble())],
            0f, 0f);
}
