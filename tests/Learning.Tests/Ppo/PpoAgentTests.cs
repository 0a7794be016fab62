using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Ppo;

public class PpoAgentTests
{
    [Fact]
    public void The_same_seed_gives_the_same_network_and_another_seed_a_different_one()
    {
        using var first = PpoTestAgents.Agent(continuous: false, seed: 4);
        using var second = PpoTestAgents.Agent(continuous: false, seed: 4);
        using var other = PpoTestAgents.Agent(continuous: false, seed: 5);

        Assert.Equal(first.ToBlob(), second.ToBlob());
        Assert.NotEqual(first.ToBlob(), other.ToBlob());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Acting_is_reproducible_from_the_random_and_does_not_touch_the_statistics(bool continuous)
    {
        using var agent = PpoTestAgents.Agent(continuous);
        var before = agent.ToBlob();
        var observations = PpoTestAgents.Observations(20);

        var first = observations.Select(o => agent.Act(o, false, new Random(9))).ToArray();
        var again = observations.Select(o => agent.Act(o, false, new Random(9))).ToArray();

        Assert.Equal(first.Select(d => (d.Action[0], d.LogProb, d.Value)), again.Select(d => (d.Action[0], d.LogProb, d.Value)));
        Assert.Equal(before, agent.ToBlob());
    }

    [Fact]
    public void Deterministic_discrete_acting_takes_the_most_likely_action_whatever_the_random()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        var observation = PpoTestAgents.Observations(1)[0];

        var actions = Enumerable.Range(0, 10).Select(s => agent.Act(observation, true, new Random(s)).Action[0]).Distinct().ToArray();

        Assert.Single(actions);
        Assert.Equal(0f, actions[0] % 1);
    }

    [Fact]
    public void Continuous_samples_are_returned_unclipped_with_the_log_prob_of_the_unclipped_value()
    {
        using var agent = PpoTestAgents.Agent(continuous: true, PpoSettings.Reimplementation with { InitialStd = 3 });
        var observation = PpoTestAgents.Observations(1)[0];
        var random = new Random(2);

        var decisions = Enumerable.Range(0, 200).Select(_ => agent.Act(observation, false, random)).ToArray();
        var mean = agent.Act(observation, true, random).Action[0];

        Assert.Contains(decisions, d => Math.Abs(d.Action[0]) > 1); // the range is [−1, 1]
        foreach (var d in decisions) // half-range 1, std 3
            Assert.Equal(PolicySampling.GaussianLogDensity(d.Action[0], mean, 3), d.LogProb, 1e-4);
    }

    [Fact]
    public void Authors_preset_acts_with_a_fixed_std_of_one_tenth_in_action_units()
    {
        using var agent = new PpoAgent(PpoSettings.Authors, 3, ActionSpace.Continuous(-0.2f, 0.5f), seed: 1);

        var decision = agent.Act(PpoTestAgents.Observations(1)[0], deterministic: true, new Random(0));

        Assert.Equal(-Math.Log(0.1) - 0.5 * Math.Log(2 * Math.PI), decision.LogProb, 1e-4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Acting_log_probs_agree_with_the_learner_so_the_first_ratio_is_one(bool continuous)
    {
        using var agent = PpoTestAgents.Agent(continuous, PpoSettings.Reimplementation with { Epochs = 1, Minibatches = 1 });

        var metrics = agent.Update(PpoTestAgents.Batch(agent));

        // One minibatch: KL and clip fraction are measured before the only gradient step.
        Assert.True(metrics.ApproxKl < 1e-6, $"approx KL {metrics.ApproxKl}");
        Assert.Equal(0, metrics.ClipFraction);
    }

    [Fact]
    public void Update_reports_its_work_and_folds_the_batch_into_the_statistics_afterwards()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        var batch = PpoTestAgents.Batch(agent, episodes: 4);

        var metrics = agent.Update(batch);

        Assert.Equal(40, metrics.Decisions);
        Assert.Equal(16, metrics.GradientSteps); // 4 epochs × 4 minibatches
        Assert.True(float.IsFinite(metrics.PolicyLoss) && float.IsFinite(metrics.ValueLoss) && metrics.Entropy > 0);
        Assert.Equal(40 + RunningMeanStd.InitialCount, agent.ObservationStatistics.Count, 1e-9);
        Assert.Equal(40 + RunningMeanStd.InitialCount, agent.ReturnStatistics.Count, 1e-9);
        var meanLogLoss = batch.SelectMany(t => t.Transitions).Average(t => (double)t.Observation[0]);
        Assert.Equal(meanLogLoss, agent.ObservationStatistics.Mean[0], 1e-3);
        Assert.Equal(1, agent.Updates);
    }

    [Fact]
    public void Target_kl_stops_the_epochs_early()
    {
        using var agent = PpoTestAgents.Agent(continuous: false, PpoSettings.Reimplementation with { TargetKl = 1e-12 });

        var metrics = agent.Update(PpoTestAgents.Batch(agent));

        Assert.True(metrics.StoppedEarly);
        Assert.Equal(4, metrics.GradientSteps); // one epoch of 4 minibatches
    }

    [Fact]
    public void Update_changes_the_policy_towards_higher_advantage_actions()
    {
        // Reward 1 for action 2 and 0 otherwise, one-step episodes: the probability of 2 must rise.
        using var threads = new SingleTorchThread();
        using var agent = new PpoAgent(PpoSettings.Reimplementation with { EntropyCoefficient = 0 }, 1, ActionSpace.Discrete(3), seed: 1);
        var random = new Random(1);
        float[] observation = [0.5f];
        double ProbabilityOfTwo() =>
            Enumerable.Range(0, 2000).Count(_ => agent.Act(observation, false, random).Action[0] == 2) / 2000.0;
        var before = ProbabilityOfTwo();

        for (var update = 0; update < 5; update++)
        {
            var batch = Enumerable.Range(0, 64).Select(_ =>
            {
                var d = agent.Act(observation, false, random);
                return new Trajectory([new Transition(observation, d.Action, d.LogProb, d.Value, d.Action[0] == 2 ? 1 : 0, true)], 0);
            }).ToArray();
            agent.Update(batch);
        }

        Assert.True(ProbabilityOfTwo() > before + 0.3, $"P(action 2) went from {before:F2} to {ProbabilityOfTwo():F2}");
    }

    [Fact]
    public void Invalid_settings_are_rejected_naming_the_setting()
    {
        var error = Assert.Throws<InputException>(() =>
            new PpoAgent(PpoSettings.Reimplementation with { Minibatches = 0 }, 3, ActionSpace.Discrete(3), 1));

        Assert.Contains("Minibatches", error.Message);
    }

    [Fact]
    public void Observations_of_the_wrong_size_are_rejected()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);

        var error = Assert.Throws<ArgumentException>(() => agent.Act([1f, 2f], false, new Random(0)));

        Assert.Contains("expected 3", error.Message);
    }
}
