using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Ppo;

public class PpoTrainerTests
{
    static byte[] Train(int seed)
    {
        using var threads = new SingleTorchThread();
        using var agent = PpoTestAgents.Agent(continuous: true, seed: seed);
        using var trainer = new PpoTrainer(agent, () => PpoTestAgents.Environment(true), environments: 2, seed: seed);
        trainer.Train(3);
        return agent.ToBlob();
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed()
    {
        Assert.Equal(Train(11), Train(11));
        Assert.NotEqual(Train(11), Train(12));
    }

    [Fact]
    public void An_environment_that_does_not_fit_the_agent_is_rejected()
    {
        using var agent = PpoTestAgents.Agent(continuous: true);

        Assert.Throws<ArgumentException>(() => new PpoTrainer(agent, () => new NoisyQuadraticEnvironment(false), 1, 1));
    }

    [Fact]
    public void The_trainer_drives_the_learning_rate_environment_and_updates_from_its_episodes()
    {
        using var data = Alrs.Learning.Tests.Environments.SyntheticData.Create();
        var settings = new Alrs.Learning.Environments.EnvironmentSettings { Steps = 30, BatchSize = 64, DecisionInterval = 10 };
        using var probe = new Alrs.Learning.Environments.LearningRateEnvironment(data, "mlp", settings);
        using var agent = new PpoAgent(PpoSettings.Reimplementation, probe.ObservationSize, probe.ActionSpace, seed: 1);
        using var trainer = new PpoTrainer(agent, () => new Alrs.Learning.Environments.LearningRateEnvironment(data, "mlp", settings), environments: 2, seed: 1);

        var iterations = trainer.Train(2);

        Assert.All(iterations, i => Assert.Equal(6, i.Update.Decisions)); // 2 episodes × 3 decisions
        Assert.All(iterations, i => Assert.True(i.MeanEpisodeReturn < 0 && float.IsFinite(i.Update.PolicyLoss) && float.IsFinite(i.Update.ValueLoss)));
        Assert.Equal(12 + RunningMeanStd.InitialCount, agent.ObservationStatistics.Count, 1e-9);
        Assert.Contains("losses/approx_kl", iterations[1].Update.Named().Keys);
    }
}
