using Alrs.Learning.Ppo;

namespace Alrs.Learning.Tests.Ppo;

/// <summary>Advantage normalisation over the batch, learning-rate and entropy annealing.</summary>
public class PpoScheduleOptionTests
{
    [Fact]
    public void Annealing_runs_the_learning_rate_down_to_zero_over_the_configured_updates()
    {
        var settings = PpoSettings.Reimplementation with { AnnealUpdates = 4 };
        Assert.Equal([1.0, 0.75, 0.5, 0.25, 0.0, 0.0], new long[] { 0, 1, 2, 3, 4, 9 }.Select(settings.AnnealFraction));
        Assert.Equal(1.0, PpoSettings.Reimplementation.AnnealFraction(1000));

        using var agent = PpoTestAgents.Agent(continuous: true, settings);
        for (var i = 0; i < 4; i++) agent.Update(PpoTestAgents.Batch(agent, seed: 10 + i));
        var before = agent.Parameters.Select(p => p.data<float>().ToArray()).ToArray();
        agent.Update(PpoTestAgents.Batch(agent, seed: 20)); // fraction 0: the weights stay
        var after = agent.Parameters.Select(p => p.data<float>().ToArray()).ToArray();
        for (var i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
    }

    [Fact]
    public void Without_annealing_the_same_update_moves_the_weights()
    {
        using var agent = PpoTestAgents.Agent(continuous: true);
        var before = agent.Parameters.Select(p => p.data<float>().ToArray()).ToArray();
        agent.Update(PpoTestAgents.Batch(agent, seed: 20));
        Assert.Contains(agent.Parameters.Select((p, i) => !p.data<float>().ToArray().SequenceEqual(before[i])), moved => moved);
    }

    [Fact]
    public void Batch_scope_normalises_advantages_once_and_changes_the_update()
    {
        using var perMinibatch = PpoTestAgents.Agent(continuous: true);
        using var perBatch = PpoTestAgents.Agent(continuous: true, PpoSettings.Reimplementation with { AdvantageScope = AdvantageScope.Batch });
        var batch = PpoTestAgents.Batch(perMinibatch);
        perMinibatch.Update(batch);
        perBatch.Update(batch);
        Assert.NotEqual(perMinibatch.Parameters[0].data<float>().ToArray(), perBatch.Parameters[0].data<float>().ToArray());
    }

    [Fact]
    public void Entropy_annealing_needs_a_learning_rate_line()
    {
        var error = Assert.Throws<InputException>(() => (PpoSettings.Reimplementation with { AnnealEntropy = true }).Validate());
        Assert.Contains("AnnealEntropy needs AnnealUpdates", error.Message);
    }
}
