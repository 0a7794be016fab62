using Alrs.Learning.Environments;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Environments;

/// <summary>Snapshot and restore of an episode: what the probe tuner relies on to leave no trace.</summary>
public class ChildSnapshotTests
{
    // 512 training images in batches of 64: a new data permutation every 8 steps, so restores cross epochs.
    static readonly EnvironmentSettings Small = new() { Steps = 60, BatchSize = 64, DecisionInterval = 10, ValidationSamples = 128, Evaluation = true };

    internal static float[][] Weights(LearningRateEnvironment environment) =>
        [.. environment.Network!.parameters().Select(p => p.detach().cpu().data<float>().ToArray())];

    static (List<double> Losses, float[][] Weights) Train(LearningRateEnvironment environment, int intervals, double rate)
    {
        var losses = new List<double>();
        for (var i = 0; i < intervals; i++)
        {
            var info = environment.StepFollowing(_ => rate).Info;
            losses.Add(info[StepInfo.TrainLoss]);
            losses.Add(info[StepInfo.ValidationLoss]);
        }
        return (losses, Weights(environment));
    }

    [Theory]
    [InlineData(ChildOptimizer.Adam, 1e-3)]
    [InlineData(ChildOptimizer.Sgd, 0.05)]
    [InlineData(ChildOptimizer.Momentum, 0.01)]
    public void Restore_returns_weights_optimizer_state_and_data_position_bit_for_bit(ChildOptimizer optimizer, double rate)
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Optimizer = optimizer, InitialLearningRate = rate });
        environment.Reset(4);
        environment.StepFollowing(_ => rate);
        var before = Weights(environment);
        using var snapshot = environment.Snapshot();

        var first = Train(environment, 3, rate);
        // Something else in between: another rate trains the same steps and moves the optimizer state.
        environment.Restore(snapshot);
        Assert.Equal(before, Weights(environment));
        Train(environment, 2, rate * 3);
        environment.Restore(snapshot);
        Assert.Equal((10, rate), (environment.StepCount, environment.LearningRate));
        var second = Train(environment, 3, rate);

        Assert.Equal(first.Losses, second.Losses);
        Assert.Equal(first.Weights, second.Weights);
        Assert.NotEqual(before, second.Weights);
        // Every trained step counts, discarded ones included: 10 + 30 + 20 + 30.
        Assert.Equal(90, environment.ChildStepsTrained);
        Assert.Equal(40, environment.StepCount);
    }

    [Fact]
    public void A_restored_episode_ends_where_an_untouched_one_ends()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        environment.Reset(2);
        var untouched = new List<StepResult>();
        while (untouched.Count == 0 || !untouched[^1].Done) untouched.Add(environment.StepFollowing(_ => 1e-3));
        var untouchedTest = environment.EvaluateTest();

        environment.Reset(2);
        using (var start = environment.Snapshot())
        {
            Train(environment, 6, 1e-2); // to the end of the episode
            environment.Restore(start);
        }
        var restored = new List<StepResult>();
        while (restored.Count == 0 || !restored[^1].Done) restored.Add(environment.StepFollowing(_ => 1e-3));

        Assert.Equal(untouched.Select(r => r.Info[StepInfo.ValidationLoss]), restored.Select(r => r.Info[StepInfo.ValidationLoss]));
        Assert.Equal(untouchedTest, environment.EvaluateTest());
    }

    [Fact]
    public void Validation_subset_is_the_first_images_of_the_validation_split()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        environment.Reset(1);
        Assert.Equal(environment.EvaluateValidation(), environment.EvaluateValidation(100_000));
        Assert.NotEqual(environment.EvaluateValidation(), environment.EvaluateValidation(32));
    }
}
