using Alrs.Tests.Shared;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Environments;

/// <summary>
/// The controller's design options on a tiny real problem (MNIST, a few steps of the MLP):
/// logit features, the progress feature and the improvement reward.
/// </summary>
public class ControllerSignalTests
{
    static readonly EnvironmentSettings Tiny = new()
    {
        Steps = 40, BatchSize = 64, DecisionInterval = 10, ValidationSamples = 500, Evaluation = true, InitialLearningRate = 3e-3,
    };

    static DatasetSplits Mnist() => DatasetLoader.Load(DatasetId.Mnist, TestDatasets.DataDirWith(DatasetId.Mnist), validationSize: 1000);

    static (float[] First, List<StepResult> Steps) Play(LearningRateEnvironment environment, int seed, float action = DiscreteActions.Keep)
    {
        var first = environment.Reset(seed);
        var steps = new List<StepResult>();
        do steps.Add(environment.Step([action])); while (!steps[^1].Done);
        return (first, steps);
    }

    [Fact]
    public void Improvement_rewards_sum_to_the_first_loss_minus_the_final_loss()
    {
        using var data = Mnist();
        using var environment = new LearningRateEnvironment(data, "mlp", Tiny with { Reward = RewardMode.Improvement, Observation = ObservationFeatures.ReimplementationLog });
        var (first, steps) = Play(environment, 3);

        // Feature 1 of both feature sets is the validation loss: at reset it is L0.
        var initialLoss = (double)first[1];
        var finalLoss = steps[^1].Info[StepInfo.ValidationLoss];
        Assert.Equal(initialLoss - finalLoss, steps.Sum(s => (double)s.Reward), 5);
        var previous = initialLoss;
        foreach (var step in steps)
        {
            Assert.Equal(previous - step.Info[StepInfo.ValidationLoss], step.Reward, 5);
            previous = step.Info[StepInfo.ValidationLoss];
        }
        Assert.True(steps.Sum(s => s.Reward) > 0, "the child learned, so the losses fell");
    }

    [Fact]
    public void Logit_features_measure_the_raw_outputs_and_differ_from_probability_features()
    {
        using var data = Mnist();
        using var probabilities = new LearningRateEnvironment(data, "mlp", Tiny);
        using var logits = new LearningRateEnvironment(data, "mlp", Tiny with { Observation = ObservationFeatures.ReimplementationLog });
        var (_, p) = Play(probabilities, 5);
        var (_, l) = Play(logits, 5);

        // Same child, same data, same rates: the losses agree, the prediction statistics do not.
        Assert.Equal(p[^1].Observation[1], l[^1].Observation[1], 5);
        var probabilityVariance = p[^1].Observation[2];
        var logitVariance = Math.Exp(l[^1].Observation[2]);
        // Softmax outputs lie in [0, 1], so their variance is at most 1/4; logits are unbounded and spread wider.
        Assert.InRange(probabilityVariance, 0f, 0.25f);
        Assert.True(logitVariance > probabilityVariance * 2, $"logit variance {logitVariance} vs probability variance {probabilityVariance}");
        // The rate enters as its log.
        Assert.Equal(Math.Log(l[^1].Info[StepInfo.LearningRate]), l[^1].Observation[6], 4);
        Assert.Equal(
            ["train_loss", "val_loss", "log_prediction_var", "log_prediction_change_var", "output_weight_mean", "log_output_weight_var", "log_lr"],
            logits.Features.FeatureNames);
    }

    [Theory]
    [InlineData(ObservationFeatures.Reimplementation)]
    [InlineData(ObservationFeatures.ReimplementationLog)]
    [InlineData(ObservationFeatures.Authors)]
    public void Progress_is_appended_as_the_fraction_of_steps_taken(string kind)
    {
        using var data = Mnist();
        using var plain = new LearningRateEnvironment(data, "mlp", Tiny with { Observation = kind });
        using var timed = new LearningRateEnvironment(data, "mlp", Tiny with { Observation = kind, ObserveProgress = true });
        var (plainFirst, plainSteps) = Play(plain, 2);
        var (timedFirst, timedSteps) = Play(timed, 2);

        Assert.Equal(plain.ObservationSize + 1, timed.ObservationSize);
        Assert.Equal("progress", timed.Features.FeatureNames[^1]);
        Assert.Equal(0f, timedFirst[^1]);
        Assert.Equal([0.25f, 0.5f, 0.75f, 1f], timedSteps.Select(s => s.Observation[^1]));
        // Everything before it is the plain feature set, unchanged.
        Assert.Equal(plainFirst, timedFirst[..^1]);
        Assert.Equal(plainSteps[^1].Observation, timedSteps[^1].Observation[..^1]);
    }
}
