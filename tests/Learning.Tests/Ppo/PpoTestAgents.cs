using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Ppo;

/// <summary>Small agents and batches from the noisy quadratic, shared by the PPO tests.</summary>
static class PpoTestAgents
{
    public static NoisyQuadraticEnvironment Environment(bool continuous) => new(continuous, decisionsPerEpisode: 10);

    public static PpoAgent Agent(bool continuous, PpoSettings? settings = null, int seed = 1)
    {
        using var environment = Environment(continuous);
        return new PpoAgent(settings ?? PpoSettings.Reimplementation, environment.ObservationSize, environment.ActionSpace, seed);
    }

    /// <summary>Episodes played by the agent's stochastic policy with fixed seeds.</summary>
    public static Trajectory[] Batch(PpoAgent agent, int episodes = 4, int seed = 10)
    {
        using var environment = Environment(!agent.ActionSpace.IsDiscrete);
        var random = new Random(seed);
        return Enumerable.Range(seed, episodes)
            .Select(s => Rollout.Play(environment, s, o => agent.Act(o, false, random)).Trajectory).ToArray();
    }

    public static float[][] Observations(int count, int seed = 3)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new[] { (float)(random.NextDouble() * 2 - 1), (float)(-3 * random.NextDouble()), (float)random.NextDouble() }).ToArray();
    }
}
