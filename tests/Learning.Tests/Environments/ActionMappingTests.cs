using Alrs.Learning.Environments;

namespace Alrs.Learning.Tests.Environments;

public class ActionMappingTests
{
    [Fact]
    public void Discrete_actions_increase_decrease_and_keep_by_the_factor()
    {
        var actions = ActionMappings.Create("discrete", 1.05);
        Assert.True(actions.Space.IsDiscrete);
        Assert.Equal(3, actions.Space.Size);
        Assert.Equal(1.05e-3, actions.Apply(1e-3, [0]), 15);
        Assert.Equal(1e-3 / 1.05, actions.Apply(1e-3, [1]), 15);
        Assert.Equal(1e-3, actions.Apply(1e-3, [2]));
        Assert.Throws<ArgumentException>(() => actions.Apply(1e-3, [3]));
    }

    [Fact]
    public void Continuous_action_is_a_factor_clipped_to_one_step()
    {
        var actions = ActionMappings.Create("continuous", 1.05);
        Assert.False(actions.Space.IsDiscrete);
        Assert.Equal(1 / 1.05f, actions.Space.Low, 6);
        Assert.Equal(1.02, actions.Apply(1.0, [1.02f]), 6);
        Assert.Equal(1.05, actions.Apply(1.0, [3f]), 6);
        Assert.Equal(1 / 1.05, actions.Apply(1.0, [0f]), 6);
    }

    [Fact]
    public void Authors_action_maps_the_clipped_sample_to_a_multiplier()
    {
        var actions = ActionMappings.Create("authors");
        Assert.Equal(-0.2f, actions.Space.Low);
        Assert.Equal(0.5f, actions.Space.High);
        Assert.Equal(1.0, actions.Apply(1.0, [0.15f]), 6);          // (0.15 − 0.15)·0.1 + 1
        Assert.Equal(1.035, actions.Apply(1.0, [2f]), 6);           // clipped to 0.5: 0.35·0.1 + 1
        Assert.Equal(0.965, actions.Apply(1.0, [-1f]), 6);          // clipped to −0.2: −0.35·0.1 + 1
    }

    [Fact]
    public void Unknown_action_kind_is_rejected_naming_the_known_ones()
    {
        var error = Assert.Throws<InputException>(() => ActionMappings.Create("jump"));
        Assert.Contains("discrete, continuous, authors", error.Message);
    }
}
