using Alrs.Learning.Rl;

namespace Alrs.Learning.Ppo;

/// <summary>One sample → update cycle of <see cref="PpoTrainer"/>.</summary>
public sealed record PpoIteration(int Index, PpoUpdateMetrics Update, double MeanEpisodeReturn, int Episodes, double SampleSeconds);

/// <summary>
/// A single-process PPO loop: each iteration plays one episode on each of its environments
/// with the current (stochastic) policy, then updates once. Environment i plays episode
/// seeds seed + k·n + i, so a run is reproducible for a seed.
/// </summary>
public sealed class PpoTrainer : IDisposable
{
    readonly ILearningEnvironment[] _environments;
    readonly Random _acting;
    readonly int _seed;
    readonly int _maxDecisionsPerEpisode;
    int _iterations;

    public PpoTrainer(PpoAgent agent, Func<ILearningEnvironment> createEnvironment, int environments, int seed, int maxDecisionsPerEpisode = 10_000)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(createEnvironment);
        if (environments < 1) throw new ArgumentOutOfRangeException(nameof(environments), environments, "at least one environment");
        Agent = agent;
        _environments = Enumerable.Range(0, environments).Select(_ => createEnvironment()).ToArray();
        foreach (var environment in _environments)
            if (environment.ObservationSize != agent.ObservationSize || environment.ActionSpace != agent.ActionSpace)
                throw new ArgumentException(
                    $"environment ({environment.ObservationSize} observations, {environment.ActionSpace}) does not match the agent ({agent.ObservationSize}, {agent.ActionSpace})");
        _seed = seed;
        _acting = new Random(seed);
        _maxDecisionsPerEpisode = maxDecisionsPerEpisode;
    }

    public PpoAgent Agent { get; }

    /// <summary>Samples one episode per environment, then updates the agent on them.</summary>
    public PpoIteration Iterate()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var episodes = _environments.Select((environment, i) => Rollout.Play(
            environment, unchecked(_seed + _iterations * _environments.Length + i),
            observation => Agent.Act(observation, deterministic: false, _acting),
            _maxDecisionsPerEpisode, Agent.Value)).ToArray();
        var sampleSeconds = clock.Elapsed.TotalSeconds;
        var metrics = Agent.Update(episodes.Select(e => e.Trajectory).ToArray());
        return new PpoIteration(_iterations++, metrics, episodes.Average(e => e.Return), episodes.Length, sampleSeconds);
    }

    /// <summary>Runs <paramref name="iterations"/> cycles.</summary>
    public IReadOnlyList<PpoIteration> Train(int iterations) =>
        Enumerable.Range(0, iterations).Select(_ => Iterate()).ToArray();

    /// <summary>Mean return of the agent's deterministic policy over episodes with the given seeds.</summary>
    public static double EvaluateDeterministic(PpoAgent agent, ILearningEnvironment environment, IEnumerable<int> seeds)
    {
        var unused = new Random(0); // deterministic acting draws nothing
        return seeds.Select(seed => Rollout.Play(environment, seed, o => agent.Act(o, deterministic: true, unused)).Return).Average();
    }

    public void Dispose()
    {
        foreach (var environment in _environments) environment.Dispose();
    }
}
