using System.Diagnostics;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Xunit.Abstractions;

namespace Alrs.Learning.Tests.Ppo;

/// <summary>PPO must learn, not merely run: on the noisy quadratic its schedule beats a random one by a wide margin.</summary>
public class PpoLearningTests(ITestOutputHelper output)
{
    const int Iterations = 25, Environments = 8;
    static readonly int[] EvaluationSeeds = Enumerable.Range(100_000, 40).ToArray();

    [Fact]
    public void Discrete_ppo_learns_a_schedule_far_better_than_random_on_the_noisy_quadratic() =>
        AssertLearns(continuous: false, PpoSettings.Reimplementation);

    [Fact]
    public void Continuous_ppo_learns_a_schedule_far_better_than_random_on_the_noisy_quadratic() =>
        AssertLearns(continuous: true, PpoSettings.Reimplementation);

    void AssertLearns(bool continuous, PpoSettings settings)
    {
        using var threads = new SingleTorchThread();
        var clock = Stopwatch.StartNew();
        using var environment = new NoisyQuadraticEnvironment(continuous);
        var random = new Random(7);
        var randomReturn = EvaluationSeeds.Average(seed =>
            Rollout.Play(environment, seed, Rollout.UniformRandom(environment.ActionSpace, random)).Return);

        using var agent = new PpoAgent(settings, environment.ObservationSize, environment.ActionSpace, seed: 1);
        using var trainer = new PpoTrainer(agent, () => new NoisyQuadraticEnvironment(continuous), Environments, seed: 1);
        var untrainedReturn = PpoTrainer.EvaluateDeterministic(agent, environment, EvaluationSeeds);
        foreach (var iteration in trainer.Train(Iterations))
            output.WriteLine($"{iteration.Index,3} return {iteration.MeanEpisodeReturn,8:F3} kl {iteration.Update.ApproxKl:F4} " +
                             $"clip {iteration.Update.ClipFraction:F2} ent {iteration.Update.Entropy:F3} ev {iteration.Update.ExplainedVariance:F2} sample {iteration.SampleSeconds:F3}s update {iteration.Update.Seconds:F3}s");
        var trainedReturn = PpoTrainer.EvaluateDeterministic(agent, environment, EvaluationSeeds);

        var handReturn = EvaluationSeeds.Average(seed => Rollout.Play(environment, seed, o => RaiseThenHold(o, continuous)).Return);
        output.WriteLine($"hand schedule {handReturn:F3}, random {randomReturn:F3}, untrained {untrainedReturn:F3}, trained {trainedReturn:F3}, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(trainedReturn > randomReturn + 0.5 * Math.Abs(randomReturn),
            $"trained return {trainedReturn:F3} is not clearly better than random {randomReturn:F3}");
    }

    /// <summary>The known good schedule: double the rate until about 0.7, then keep it.</summary>
    static PolicyDecision RaiseThenHold(float[] observation, bool continuous)
    {
        var raise = observation[1] < -0.15f;
        return new PolicyDecision([continuous ? (raise ? 1f : 0f) : (raise ? 2f : 1f)], 0, 0);
    }
}
