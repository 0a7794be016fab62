using Alrs.Learning.Baselines;
using Alrs.Learning.Environments;
using Alrs.Learning.Rl;
using Alrs.Learning.Tests.Environments;

namespace Alrs.Learning.Tests.Baselines;

public class ProbeTunerTests
{
    static readonly EnvironmentSettings Small = new() { Steps = 60, BatchSize = 64, DecisionInterval = 10, ValidationSamples = 128, Evaluation = true };
    static readonly ProbeTunerSettings EveryTwenty = new() { Every = 20, Steps = 10, Factor = 2, ValidationSamples = 200 };

    /// <summary>The rates a probe tuner chose, replayed as a fixed schedule: one rate per decision interval.</summary>
    sealed record Replay(IReadOnlyList<double> Rates, int Interval) : IFixedSchedule
    {
        public string Family => "replay";
        public string Name => "replay";
        public double At(int step) => Rates[step / Interval];
    }

    [Theory]
    [InlineData(ChildOptimizer.Adam, 1e-4)]
    [InlineData(ChildOptimizer.Momentum, 1e-3)]
    public void Probes_leave_no_trace_on_the_kept_trajectory(ChildOptimizer optimizer, double rate)
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Optimizer = optimizer });
        var tuned = BaselineRunner.Run(environment, new ProbeTunerSchedule(rate, EveryTwenty), seed: 5);
        var tunedWeights = ChildSnapshotTests.Weights(environment);

        // The same child trained at the chosen rates without any probe: identical to the last bit.
        var replayed = BaselineRunner.Run(environment, new Replay([.. tuned.Trace.Select(t => t.LearningRate)], 10), seed: 5);

        Assert.True(tuned.Trace.Select(t => t.LearningRate).Distinct().Count() > 1, "the tuner never changed the rate: the test shows nothing");
        Assert.Equal(replayed.Trace.Select(t => (t.Step, t.TrainLoss, t.ValidationLoss)), tuned.Trace.Select(t => (t.Step, t.TrainLoss, t.ValidationLoss)));
        Assert.Equal(replayed.Test, tuned.Test);
        Assert.Equal(replayed.FinalValidation, tuned.FinalValidation);
        Assert.Equal(ChildSnapshotTests.Weights(environment), tunedWeights);
        // Probes at steps 0, 20 and 40, each 2 discarded candidates × 10 steps.
        Assert.Equal((60, 120L), (tuned.KeptSteps, tuned.ChildSteps));
        Assert.Equal((60, 60L), (replayed.KeptSteps, replayed.ChildSteps));
    }

    [Theory]
    [InlineData(1e-4, 10)]
    [InlineData(1e-2, 2)]
    public void First_probe_keeps_the_candidate_with_the_lowest_validation_loss(double rate, double factor)
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        var settings = EveryTwenty with { Factor = factor };

        // The answer, by brute force: each candidate trained alone for the probe's 10 steps from the same start.
        var scores = new[] { rate, rate / factor, rate * factor }.ToDictionary(c => c, c =>
        {
            environment.Reset(8);
            environment.StepFollowing(_ => c);
            return environment.EvaluateValidation(settings.ValidationSamples).Loss;
        });
        var expected = scores.MinBy(s => s.Value).Key;
        Assert.True(scores.Values.Distinct().Count() == 3, "candidates tie: the test shows nothing");

        var tuned = BaselineRunner.Run(environment, new ProbeTunerSchedule(rate, settings), seed: 8);
        Assert.Equal(expected, tuned.Trace[0].LearningRate);
        // From 1e-4 with Adam, ×10 is the known answer on this problem; the kept first interval is the best candidate's.
        if (factor == 10) Assert.Equal(1e-3, expected);
        environment.Reset(8);
        Assert.Equal(environment.StepFollowing(_ => expected).Info[StepInfo.ValidationLoss], tuned.Trace[0].ValidationLoss);
    }

    [Fact]
    public void Equal_compute_variant_cuts_its_kept_trajectory_to_fit_the_probes_in_the_step_budget()
    {
        var defaults = new ProbeTunerSettings();
        // 1000 steps: 710 kept with 7 probes (0..600) cost 710 + 7·2·20 = 990; 720 kept would need 8 probes, 1040.
        Assert.Equal(710, defaults.KeptStepsWithin(1000, 10));
        Assert.Equal(990, defaults.ChildStepsFor(710));
        Assert.Equal(1000 + 10 * 40, defaults.ChildStepsFor(1000));
        Assert.Equal(0, defaults.ProbesIn(10));

        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        var run = BaselineRunner.Run(environment, new ProbeTunerSchedule(1e-3, EveryTwenty, EqualCompute: true), seed: 1);
        // 60 steps: kept 20 (one probe, 20 + 2·10 = 40); 30 kept would need 2 probes, 70.
        Assert.Equal((20, 40L), (run.KeptSteps, run.ChildSteps));
        Assert.Equal([10, 20], run.Trace.Select(t => t.Step));
        Assert.Equal("probe-equal-compute(lr=0.001,every=20,steps=10,factor=2)", run.Schedule.Name);

        // A probe window that ends exactly at the cut: with 20 steps per candidate, 60 steps keep 20 after one probe
        // (20 + 2 × 20 = 60); the episode ends after the probe's second kept interval, not its first.
        var cut = BaselineRunner.Run(environment, new ProbeTunerSchedule(1e-3, EveryTwenty with { Steps = 20 }, EqualCompute: true), seed: 1);
        Assert.Equal([10, 20], cut.Trace.Select(t => t.Step));
        Assert.Equal((20, 60L), (cut.KeptSteps, cut.ChildSteps));
    }

    [Theory]
    [InlineData(100, 15, 2, "steps must be a positive multiple of the decision interval (10), got 15")]
    [InlineData(10, 20, 2, "every must be a multiple of the decision interval (10) and >= steps (20), got 10")]
    [InlineData(100, 20, 1, "factor must be > 1, got 1")]
    public void Settings_that_do_not_fit_the_decisions_are_refused_naming_the_key(int every, int steps, double factor, string expected)
    {
        var error = Assert.Throws<InputException>(() => new ProbeTunerSettings { Every = every, Steps = steps, Factor = factor }.Validate(10));
        Assert.Equal($"alrs.baselines.probe.{expected}", error.Message);
    }
}
