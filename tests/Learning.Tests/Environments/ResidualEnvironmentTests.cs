using Alrs.Learning.Baselines;
using Alrs.Learning.Environments;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Environments;

/// <summary>The residual and log-space actions inside a real environment episode.</summary>
public class ResidualEnvironmentTests
{
    const string Knee = "knee(lr=0.01,explore=0.5,warmup=0.1,min=1E-05)";
    static readonly EnvironmentSettings Small = new() { Steps = 40, BatchSize = 64, DecisionInterval = 10, Evaluation = true, InitialLearningRate = 1e-4 };

    [Fact]
    public void A_residual_controller_that_always_acts_zero_trains_exactly_like_its_base_schedule()
    {
        using var data = SyntheticData.Create();
        var settings = Small with { Action = ActionMappings.Residual, ActionFactor = 4, ResidualBase = Knee };
        using var controlled = new LearningRateEnvironment(data, "mlp", settings);
        using var following = new LearningRateEnvironment(data, "mlp", Small);
        var knee = FixedScheduleName.Parse(Knee, Small.Steps);

        controlled.Reset(7);
        following.Reset(7);
        Assert.Equal(knee.At(0), controlled.LearningRate); // the base's start, not the episode's 1e-4
        StepResult a, b;
        do
        {
            a = controlled.Step([0f]);
            b = following.StepFollowing(knee.At);
            Assert.Equal(b.Info[StepInfo.ValidationLoss], a.Info[StepInfo.ValidationLoss]);
            Assert.Equal(b.Info[StepInfo.LearningRate], a.Info[StepInfo.LearningRate]);
        } while (!a.Done);
        Assert.True(b.Done);
    }

    [Fact]
    public void A_residual_action_scales_every_step_of_its_interval()
    {
        using var data = SyntheticData.Create();
        var settings = Small with { Action = ActionMappings.Residual, ActionFactor = 4, ResidualBase = Knee };
        using var environment = new LearningRateEnvironment(data, "mlp", settings);
        var knee = FixedScheduleName.Parse(Knee, Small.Steps);
        environment.Reset(1);
        environment.Step([0f]);
        environment.Step([(float)Math.Log(2)]);  // steps 10..19 at twice the base
        Assert.Equal(knee.At(19) * 2, environment.LearningRate, 7); // a float action: ln 2 to 7 digits
        environment.Step([-9f]);                  // clipped to ÷4
        Assert.Equal(knee.At(29) / 4, environment.LearningRate, 12);
    }

    [Fact]
    public void A_late_cap_holds_the_rate_at_or_below_the_base_from_its_share_of_the_episode_on()
    {
        using var data = SyntheticData.Create();
        var settings = Small with { Action = ActionMappings.Residual, ActionFactor = 4, ResidualBase = Knee, ResidualCap = new ResidualCap(0.5, 1) };
        using var environment = new LearningRateEnvironment(data, "mlp", settings);
        var knee = FixedScheduleName.Parse(Knee, Small.Steps);
        var up = (float)Math.Log(3);
        environment.Reset(2);
        environment.Step([up]);                                     // steps 0..9: progress 0, free
        Assert.Equal(knee.At(9) * 3, environment.LearningRate, 7);
        environment.Step([up]);                                     // steps 10..19: progress 0.25, free
        Assert.Equal(knee.At(19) * 3, environment.LearningRate, 7);
        environment.Step([-up]);                                    // steps 20..29: progress 0.5, below the base stays allowed
        Assert.Equal(knee.At(29) / 3, environment.LearningRate, 7);
        environment.Step([up]);                                     // steps 30..39: progress 0.75, capped at x1
        Assert.Equal(Math.Max(knee.At(39), settings.MinLearningRate), environment.LearningRate, 12);
    }

    [Fact]
    public void Relative_rate_noise_is_a_share_of_the_rate_and_off_when_evaluating()
    {
        using var data = SyntheticData.Create();
        var training = Small with
        {
            Evaluation = false, InitialLearningRateRelativeNoise = 0, LearningRateNoiseStd = 0, LearningRateRelativeNoiseStd = 0.1,
            Action = ActionMappings.LogContinuous, ActionFactor = 4,
        };
        using var noisy = new LearningRateEnvironment(data, "mlp", training);
        using var exact = new LearningRateEnvironment(data, "mlp", training with { Evaluation = true });
        var ratios = new List<double>();
        foreach (var seed in Enumerable.Range(0, 6))
        {
            noisy.Reset(seed);
            exact.Reset(seed);
            noisy.Step([0f]);
            exact.Step([0f]);
            Assert.Equal(1e-4, exact.LearningRate, 15);
            ratios.Add(noisy.LearningRate / 1e-4);
        }
        Assert.All(ratios, r => Assert.InRange(r, Math.Exp(-0.5), Math.Exp(0.5)));   // ±5 std of 0.1 in log
        Assert.Contains(ratios, r => Math.Abs(r - 1) > 1e-6);
    }

    // A low base: the synthetic classes are learnt to a loss of ~0 at 1e-2, where every schedule ends alike.
    const string LowKnee = "knee(lr=0.0001,explore=0.5,warmup=0.1,min=1E-05)";
    static EnvironmentSettings RelativeTraining => Small with
    {
        Evaluation = false, InitialLearningRateRelativeNoise = 0, LearningRateNoiseStd = 0,
        Action = ActionMappings.Residual, ActionFactor = 4, ResidualBase = LowKnee, Reward = RewardMode.Relative,
    };

    [Fact]
    public void A_relative_reward_is_zero_for_the_base_and_sums_to_how_far_the_controller_ends_below_it()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", RelativeTraining);
        using var following = new LearningRateEnvironment(data, "mlp", Small);
        var knee = FixedScheduleName.Parse(LowKnee, Small.Steps);

        environment.Reset(11);
        StepResult step;
        do
        {
            step = environment.Step([0f]);
            Assert.Equal(0f, step.Reward);
        } while (!step.Done);

        environment.Reset(11);
        var actions = new[] { 0.9f, -0.4f, 1.3f, -1.2f };
        var (sum, i) = (0.0, 0);
        do
        {
            step = environment.Step([actions[i++]]);
            sum += step.Reward;
        } while (!step.Done);
        following.Reset(11);
        StepResult reference;
        do reference = following.StepFollowing(knee.At); while (!reference.Done);

        var below = reference.Info[StepInfo.ValidationLoss] - step.Info[StepInfo.ValidationLoss];
        Assert.True(Math.Abs(below) > 1e-3, $"the actions should matter: {below}");
        Assert.Equal(below, sum, 5); // float rewards
    }

    [Fact]
    public void A_child_seed_pool_trains_a_few_children_and_computes_each_base_curve_once()
    {
        using var data = SyntheticData.Create();
        var pooled = RelativeTraining with { ChildSeedPool = 3, Observation = ObservationFeatures.Log };
        using var first = new LearningRateEnvironment(data, "mlp", pooled);
        using var second = new LearningRateEnvironment(data, "mlp", pooled);
        using var evaluating = new LearningRateEnvironment(data, "mlp", pooled with { Evaluation = true });

        var before = ReferenceCurves.Computed;
        var a = first.Reset(4);
        Assert.Equal(before + 1, ReferenceCurves.Computed);
        var b = second.Reset(7);                           // 7 mod 3 = 4 mod 3: the same child, known
        Assert.Equal(before + 1, ReferenceCurves.Computed);
        Assert.Equal(a, b);
        Assert.Equal(first.Step([0.5f]).Info[StepInfo.ValidationLoss], second.Step([0.5f]).Info[StepInfo.ValidationLoss]);

        var c = second.Reset(5);                           // another child of the pool
        Assert.Equal(before + 2, ReferenceCurves.Computed);
        Assert.NotEqual(a, c);
        evaluating.Reset(4);                               // evaluation: its own child, no curve
        Assert.Equal(before + 2, ReferenceCurves.Computed);
        Assert.NotEqual(a, evaluating.Reset(4));
    }

    [Fact]
    public void A_relative_reward_without_a_residual_base_is_refused_by_name()
    {
        var error = Assert.Throws<InputException>(() => (RelativeTraining with { Action = ActionMappings.LogContinuous }).Validate());
        Assert.Contains("reward = relative needs action = residual", error.Message);
        Assert.Throws<InputException>(() => (RelativeTraining with { ChildSeedPool = -1 }).Validate());
    }
}
