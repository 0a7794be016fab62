using Alrs.Learning.Environments;
using Alrs.Learning.Evaluation;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Learning.Tests.Environments;

namespace Alrs.Learning.Tests.Evaluation;

public class PolicyEvaluatorTests
{
    static readonly EnvironmentSettings Small = new() { Steps = 40, BatchSize = 64, DecisionInterval = 10, Evaluation = true, InitialLearningRate = 0.01 };

    static PpoAgent DiscreteAgent(int seed) => new(PpoSettings.Reimplementation, 7, ActionSpace.Discrete(3), seed);

    [Fact]
    public void Evaluation_is_deterministic_and_applies_the_policys_actions_to_the_rate()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        using var agent = DiscreteAgent(seed: 2);

        var evaluation = PolicyEvaluator.Evaluate(agent, environment, [5, 6]);
        var again = PolicyEvaluator.Run(agent, environment, 5);

        var run = evaluation.Runs[0];
        Assert.Equal([10, 20, 30, 40], run.Trace.Select(t => t.Step));
        Assert.Equal(run.Trace.Select(t => (t.Action, t.LearningRate, t.ValidationLoss)), again.Trace.Select(t => (t.Action, t.LearningRate, t.ValidationLoss)));
        Assert.Equal(run.Test, again.Test);
        var rate = Small.InitialLearningRate;
        foreach (var decision in run.Trace)
        {
            rate *= decision.Action switch { DiscreteActions.Increase => 1.05, DiscreteActions.Decrease => 1 / 1.05, _ => 1.0 };
            Assert.Equal(rate, decision.LearningRate, 1e-12);
        }
        Assert.Equal(run.Trace.Sum(t => t.Reward), run.Return, 1e-9);
        Assert.Equal(2, evaluation.Runs.Count);
        Assert.True(double.IsFinite(evaluation.MeanTestLoss) && evaluation.StdTestLoss >= 0);
    }

    [Fact]
    public void A_policy_with_other_shapes_is_rejected_naming_both()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        using var agent = new PpoAgent(PpoSettings.Authors, 9, ActionSpace.Continuous(-0.2f, 0.5f), 1);

        var error = Assert.Throws<InputException>(() => PolicyEvaluator.Run(agent, environment, 0));

        Assert.Contains("9 observations", error.Message);
        Assert.Contains("gives 7 observations and discrete(3)", error.Message);
    }

    [Fact]
    public void A_training_environment_with_noise_is_refused()
    {
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small with { Evaluation = false });
        using var agent = DiscreteAgent(seed: 1);

        Assert.Throws<ArgumentException>(() => PolicyEvaluator.Run(agent, environment, 0));
    }
}
