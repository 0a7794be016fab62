using Alrs.Learning.Baselines;
using Alrs.Learning.Environments;
using Alrs.Learning.Tests.Environments;

namespace Alrs.Learning.Tests.Baselines;

public class BaselineRunnerTests
{
    static readonly EnvironmentSettings Small = new() { Steps = 30, BatchSize = 64, DecisionInterval = 10, Evaluation = true };

    [Fact]
    public void Baseline_run_traces_every_decision_and_evaluates_the_test_split()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        var run = BaselineRunner.Run(environment, new StepDecaySchedule(0.01, 10, 0.5), seed: 3);

        Assert.Equal([10, 20, 30], run.Trace.Select(t => t.Step));
        // The trace holds the rate of the interval's last child step: 0.01·0.5^⌊(step−1)/10⌋.
        Assert.Equal([0.01, 0.005, 0.0025], run.Trace.Select(t => Math.Round(t.LearningRate, 12)));
        Assert.False(run.Diverged);
        Assert.InRange(run.Test.Accuracy, 0.3, 1.0);
        Assert.True(double.IsFinite(run.Test.Loss));
        Assert.True(run.FinalValidation.Loss < run.Trace[0].ValidationLoss + 1e-9 || run.Trace.Count == 1);
    }

    [Fact]
    public void A_constant_baseline_matches_a_controller_episode_that_keeps_the_same_rate()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { InitialLearningRate = 0.003 });
        var baseline = BaselineRunner.Run(environment, new ConstantSchedule(0.003), seed: 9);

        environment.Reset(9);
        var controller = new List<double>();
        for (var done = false; !done;)
        {
            var result = environment.Step([DiscreteActions.Keep]);
            controller.Add(result.Info[StepInfo.ValidationLoss]);
            done = result.Done;
        }
        Assert.Equal(controller, baseline.Trace.Select(t => t.ValidationLoss));
    }

    [Fact]
    public void Summary_picks_the_best_of_each_family_by_mean_validation_loss()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Steps = 20 });
        ILearningRateSchedule[] schedules =
        [
            new ConstantSchedule(0.003),
            new StepDecaySchedule(1e-5, 10, 0.9),   // barely moves: worse
            new StepDecaySchedule(3e-3, 10, 0.9),
        ];
        var heard = new List<(int, int)>();
        var summary = BaselineSummary.Collect(environment, schedules, [1, 2], (done, total, _) => heard.Add((done, total)));

        Assert.Equal([(1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (6, 6)], heard);
        Assert.Equal(schedules[2], summary.BestOf("step-decay")!.Schedule);
        Assert.Null(summary.BestOf("cosine"));
        Assert.Equal(2, summary.Highlights().Count);
        var best = summary.BestOf("step-decay")!;
        Assert.Equal(best.Runs.Average(r => r.Test.Loss), best.MeanTestLoss, 12);
    }
}
