using Alrs.Learning.Environments;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Environments;

public class LearningRateEnvironmentTests
{
    static readonly EnvironmentSettings Small = new() { Steps = 40, BatchSize = 64, DecisionInterval = 10 };
    static readonly float[] Keep = [DiscreteActions.Keep];
    static readonly float[] Increase = [DiscreteActions.Increase];

    static List<StepResult> RunEpisode(LearningRateEnvironment environment, int seed, out float[] first, Func<int, float[]>? policy = null)
    {
        first = environment.Reset(seed);
        var results = new List<StepResult>();
        for (var decision = 0; ; decision++)
        {
            var result = environment.Step(policy?.Invoke(decision) ?? [decision % 3]);
            results.Add(result);
            if (result.Done) return results;
        }
    }

    [Fact]
    public void Same_seed_gives_identical_observation_sequences()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        var a = RunEpisode(environment, 5, out var firstA);
        var b = RunEpisode(environment, 5, out var firstB);
        var c = RunEpisode(environment, 6, out var firstC);

        Assert.Equal(firstA, firstB);
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Observation, b[i].Observation);
            Assert.Equal(a[i].Reward, b[i].Reward);
        }
        Assert.NotEqual(a[^1].Observation, c[^1].Observation);
    }

    [Fact]
    public void Episode_ends_after_the_configured_child_steps_with_one_decision_per_interval()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        var results = RunEpisode(environment, 1, out _);

        Assert.Equal(4, results.Count);
        Assert.Equal([10.0, 20.0, 30.0, 40.0], results.Select(r => r.Info[StepInfo.Step]));
        Assert.All(results.SkipLast(1), r => Assert.False(r.Done));
        Assert.Throws<InvalidOperationException>(() => environment.Step(Keep));
    }

    [Fact]
    public void Training_lowers_the_validation_loss_and_rewards_are_its_negative()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Steps = 60, Evaluation = true });
        var first = environment.Reset(3);
        var results = RunEpisode(environment, 3, out _, _ => Keep);

        // Reimplementation order: train loss, val loss, ..., lr last.
        Assert.True(results[^1].Info[StepInfo.ValidationLoss] < first[1] - 0.3, $"val loss {first[1]} -> {results[^1].Info[StepInfo.ValidationLoss]}");
        Assert.All(results, r => Assert.Equal(-r.Info[StepInfo.ValidationLoss], r.Reward, 5));
        Assert.All(results, r => Assert.Equal(r.Info[StepInfo.LearningRate], r.Observation[^1], 6));
        Assert.InRange(results[^1].Info[StepInfo.ValidationAccuracy], 0.5, 1.0);
    }

    [Theory]
    [InlineData("reimplementation", 7)]
    [InlineData("authors", 9)]
    public void Observation_kinds_have_their_documented_size_and_stay_finite(string kind, int size)
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "lenet5", Small with { Observation = kind, Steps = 20 });
        Assert.Equal(size, environment.ObservationSize);
        var results = RunEpisode(environment, 2, out var first);
        Assert.Equal(size, first.Length);
        Assert.All(results, r => Assert.Equal(size, r.Observation.Length));
        Assert.All(results.SelectMany(r => r.Observation), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Prediction_change_is_zero_at_reset_and_positive_after_training()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        var first = environment.Reset(4);
        var next = environment.Step(Keep);
        Assert.Equal(0f, first[3]);
        Assert.True(next.Observation[3] > 0);
        Assert.True(next.Observation[2] > 0);
    }

    [Fact]
    public void Evaluation_mode_uses_the_exact_initial_rate_and_actions_scale_it()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Evaluation = true, InitialLearningRate = 0.002 });
        environment.Reset(1);
        Assert.Equal(0.002, environment.LearningRate);
        var up = environment.Step(Increase);
        Assert.Equal(0.002 * 1.05, up.Info[StepInfo.LearningRate], 12);
        var down = environment.Step([DiscreteActions.Decrease]);
        Assert.Equal(0.002, down.Info[StepInfo.LearningRate], 12);
    }

    [Fact]
    public void Training_mode_perturbs_the_initial_rate_by_about_a_tenth()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { InitialLearningRate = 0.01 });
        var rates = Enumerable.Range(0, 20).Select(seed => { environment.Reset(seed); return environment.LearningRate; }).ToList();
        Assert.All(rates, r => Assert.InRange(r, 0.005, 0.015));
        Assert.True(rates.Distinct().Count() > 15);
    }

    [Fact]
    public void Initial_rate_is_sampled_per_episode_from_the_choices()
    {
        using var data = SyntheticData.Create();
        double[] choices = [1e-2, 1e-3, 1e-4];
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Evaluation = true, InitialLearningRateChoices = choices });
        var rates = Enumerable.Range(0, 30).Select(seed => { environment.Reset(seed); return environment.LearningRate; }).ToHashSet();
        Assert.Equal(choices.ToHashSet(), rates);
    }

    [Fact]
    public void Learning_rate_is_clipped_to_its_bounds()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Evaluation = true, InitialLearningRate = 0.1 });
        environment.Reset(1);
        Assert.Equal(0.1, environment.Step(Increase).Info[StepInfo.LearningRate]);
        Assert.Equal(1e-5, environment.StepFollowing(_ => 1e-9).Info[StepInfo.LearningRate]);
    }

    [Fact]
    public void Divergence_ends_the_episode_with_the_penalty_without_throwing()
    {
        using var data = SyntheticData.Create(poisonTraining: true);
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { DivergencePenalty = -7 });
        var first = environment.Reset(1);
        var result = environment.Step(Keep);

        Assert.True(result.Done);
        Assert.Equal(-7f, result.Reward);
        Assert.Equal(1.0, result.Info[StepInfo.Diverged]);
        Assert.Equal(first, result.Observation);
        Assert.All(result.Observation, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(RewardMode.Final)]
    [InlineData(RewardMode.Authors)]
    public void Reward_modes_follow_their_definition(RewardMode mode)
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Reward = mode });
        var results = RunEpisode(environment, 1, out _);
        foreach (var r in results)
        {
            var loss = r.Info[StepInfo.ValidationLoss];
            var expected = mode == RewardMode.Authors ? 2.0 - loss : r.Done ? -loss : 0;
            Assert.Equal(expected, r.Reward, 5);
        }
    }

    [Fact]
    public void Schedule_mode_sets_the_rate_of_every_child_step()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Evaluation = true });
        environment.Reset(1);
        var seen = new List<int>();
        var result = environment.StepFollowing(step => { seen.Add(step); return 0.01 / (step + 1); });
        Assert.Equal(Enumerable.Range(0, 10), seen);
        Assert.Equal(0.001, result.Info[StepInfo.LearningRate], 12);
    }

    [Fact]
    public void Validation_subset_changes_the_measured_loss_but_keeps_determinism()
    {
        using var data = SyntheticData.Create();
        using var full = new LearningRateEnvironment(data, "mlp", Small with { Evaluation = true });
        using var subset = new LearningRateEnvironment(data, "mlp", Small with { Evaluation = true, ValidationSamples = 50 });
        var fullFirst = full.Reset(1);
        var subsetFirst = subset.Reset(1);
        Assert.NotEqual(fullFirst[1], subsetFirst[1]);
        Assert.Equal(subsetFirst, subset.Reset(1));
    }

    [Theory]
    [InlineData("momentum")]
    [InlineData("sgd")]
    public void Sgd_optimizers_train_too(string optimizer)
    {
        using var data = SyntheticData.Create();
        var kind = Enum.Parse<ChildOptimizer>(optimizer, ignoreCase: true);
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Optimizer = kind, Evaluation = true, InitialLearningRate = 0.05 });
        var first = environment.Reset(1);
        var results = RunEpisode(environment, 1, out _, _ => Keep);
        Assert.True(results[^1].Info[StepInfo.ValidationLoss] < first[1]);
    }

    [Fact]
    public void Invalid_settings_are_rejected_naming_the_setting()
    {
        using var data = SyntheticData.Create();
        var error = Assert.Throws<InputException>(() => new LearningRateEnvironment(data, "mlp", Small with { Steps = 45 }));
        Assert.Contains("decision-interval", error.Message);
        error = Assert.Throws<InputException>(() => new LearningRateEnvironment(data, "mlp", Small with { Observation = "pixels" }));
        Assert.Contains("'pixels'", error.Message);
        error = Assert.Throws<InputException>(() => new LearningRateEnvironment(data, "mlp", Small with { BatchSize = 100_000 }));
        Assert.Contains("batch-size", error.Message);
    }

    [Fact]
    public void Disposing_an_environment_leaves_the_shared_data_usable()
    {
        using var data = SyntheticData.Create();
        using (var environment = new LearningRateEnvironment(data, "mlp", Small))
        {
            environment.Reset(1);
            environment.Step(Keep);
        }
        using var second = new LearningRateEnvironment(data, "mlp", Small);
        second.Reset(1);
        Assert.False(second.Step(Keep).Done);
        Assert.Equal(512, data.Train.Images.shape[0]);
    }
}
