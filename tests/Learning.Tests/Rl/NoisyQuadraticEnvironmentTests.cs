using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Rl;

public class NoisyQuadraticEnvironmentTests
{
    static readonly int[] Seeds = Enumerable.Range(0, 50).ToArray();

    /// <summary>The known good schedule: double the rate until it reaches about 1, then keep it.</summary>
    static PolicyDecision RaiseThenHold(float[] observation) => new([observation[1] < -0.15f ? 2 : 1], 0, 0);

    [Fact]
    public void The_same_seed_and_actions_replay_the_same_episode()
    {
        using var environment = new NoisyQuadraticEnvironment(continuousActions: false);

        var first = Rollout.Play(environment, 7, RaiseThenHold);
        var second = Rollout.Play(environment, 7, RaiseThenHold);

        Assert.Equal(first.Steps.Select(s => s.Reward), second.Steps.Select(s => s.Reward));
        Assert.Equal(20, first.Steps.Count);
        Assert.True(first.Steps[^1].Done);
    }

    [Fact]
    public void Raising_the_rate_then_holding_it_beats_random_and_always_raising_diverges()
    {
        using var environment = new NoisyQuadraticEnvironment(continuousActions: false);
        var random = new Random(1);

        var good = Seeds.Average(s => Rollout.Play(environment, s, RaiseThenHold).Return);
        var uniform = Seeds.Average(s => Rollout.Play(environment, s, Rollout.UniformRandom(environment.ActionSpace, random)).Return);
        var alwaysRaise = Rollout.Play(environment, 0, _ => new PolicyDecision([2], 0, 0));

        Assert.True(good > uniform + 0.5 * Math.Abs(uniform), $"raise-then-hold {good:F3} vs random {uniform:F3}");
        Assert.Equal(1, alwaysRaise.Steps[^1].Info["diverged"]);
        Assert.True(alwaysRaise.Return < uniform);
    }

    [Fact]
    public void Continuous_actions_scale_the_rate_by_a_clipped_power_of_the_factor()
    {
        using var environment = new NoisyQuadraticEnvironment(continuousActions: true);
        environment.Reset(3);
        var start = environment.Rate;

        environment.Step([0.5f]);
        Assert.Equal(start * Math.Sqrt(2), environment.Rate, 1e-12);
        environment.Step([7f]);
        Assert.Equal(start * Math.Sqrt(2) * 2, environment.Rate, 1e-12);
    }
}
