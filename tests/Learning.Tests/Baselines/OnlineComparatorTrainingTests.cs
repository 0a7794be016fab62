using Alrs.Tests.Shared;
using Alrs.Learning.Baselines;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;

namespace Alrs.Learning.Tests.Baselines;

/// <summary>The knee schedule, hypergradient descent and the probe tuner with each child optimizer, on real MNIST through the real loader.</summary>
public class OnlineComparatorTrainingTests(OnlineComparatorTrainingTests.Mnist mnist) : IClassFixture<OnlineComparatorTrainingTests.Mnist>
{
    public sealed class Mnist : IDisposable
    {
        public DatasetSplits Data { get; } = DatasetLoader.Load(DatasetId.Mnist, TestDatasets.DataDirWith(DatasetId.Mnist));
        public void Dispose() => Data.Dispose();
    }

    // 40 steps of batch 64 with a decision every 10; probes every 20 steps, 10 steps per candidate.
    static readonly EnvironmentSettings Tiny = new() { Steps = 40, BatchSize = 64, DecisionInterval = 10, ValidationSamples = 500, EvaluationBatchSize = 2000, Evaluation = true,
        MaxLearningRate = 1 }; // no clipping: every probe has its 3 candidates
    static readonly ProbeTunerSettings Probe = new() { Every = 20, Steps = 10, ValidationSamples = 500 };

    public static TheoryData<ChildOptimizer, string> Cases()
    {
        var cases = new TheoryData<ChildOptimizer, string>();
        foreach (var optimizer in Enum.GetValues<ChildOptimizer>())
            foreach (var family in new[] { "knee", "hypergradient", "probe", "probe-equal-compute" })
                cases.Add(optimizer, family);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Trains_the_child_with_every_optimizer(ChildOptimizer optimizer, string family)
    {
        // A rate that trains each optimizer in 40 steps; Baydin et al.'s β for Adam and for SGD.
        var (rate, beta) = optimizer switch { ChildOptimizer.Adam => (1e-3, 1e-7), ChildOptimizer.Sgd => (0.1, 1e-3), _ => (0.02, 1e-3) };
        ILearningRateSchedule schedule = family switch
        {
            "knee" => new KneeSchedule(rate, Tiny.Steps, 0.5, 0.1, Tiny.MinLearningRate),
            "hypergradient" => new HypergradientSchedule(rate, beta),
            "probe" => new ProbeTunerSchedule(rate, Probe),
            _ => new ProbeTunerSchedule(rate, Probe, EqualCompute: true),
        };
        using var environment = new LearningRateEnvironment(mnist.Data, "mlp", Tiny with { Optimizer = optimizer });

        var run = BaselineRunner.Run(environment, schedule, seed: 0);

        Assert.Equal(family, run.Schedule.Family);
        Assert.False(run.Diverged);
        Assert.True(run.Test.Accuracy > 0.6, $"{schedule.Name} with {optimizer}: test accuracy {run.Test.Accuracy:P1}");
        Assert.True(run.FinalValidation.Loss < 1.5, $"{schedule.Name} with {optimizer}: validation loss {run.FinalValidation.Loss:F3}");
        var (kept, child) = family switch
        {
            "probe" => (40, 40L + 2 * 2 * 10),          // probes at 0 and 20
            "probe-equal-compute" => (20, 20L + 2 * 10), // one probe fits in 40 child steps
            _ => (40, 40L),
        };
        Assert.Equal((kept, child), (run.KeptSteps, run.ChildSteps));
        Assert.Equal(kept / 10, run.Trace.Count);
        // The online tuners move the rate; the knee's last interval ends at the floor.
        if (family == "knee") Assert.Equal(Tiny.MinLearningRate, run.Trace[^1].LearningRate, 15);
        if (family == "hypergradient") Assert.NotEqual(rate, run.Trace[^1].LearningRate);
    }
}
