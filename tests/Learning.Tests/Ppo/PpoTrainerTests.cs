using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Ppo;

public class PpoTrainerTests
{
    static byte[] Train(int seed)
    {
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
}
