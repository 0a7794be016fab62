using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Environments;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Tests.Configuration;

/// <summary>The relative reward, the child-seed pool and the residual's late cap as a config file spells them.</summary>
public sealed class RewardConfigurationSpecs
{
    const string Residual = "alrs.env { action = residual, action-factor = 4, residual-base = \"knee(lr=0.01,explore=0.7,warmup=0.05,min=1E-05)\" }";

    static EnvironmentSettings Read(string hocon) =>
        ExperimentSettings.Environment(ConfigurationFactory.ParseString(hocon).WithFallback(AlrsConfig.Load()));

    [Fact]
    public void A_relative_reward_on_a_residual_base_with_a_pool_of_children_is_read()
    {
        var settings = Read($"{Residual}\nalrs.env {{ reward = relative, child-seed-pool = 16 }}");
        Assert.Equal(RewardMode.Relative, settings.Reward);
        Assert.Equal(16, settings.ChildSeedPool);
        Assert.Equal(0, Read(Residual).ChildSeedPool); // shipped: every episode its own child
    }

    [Fact]
    public void A_late_cap_on_the_residual_is_read_and_off_by_default()
    {
        Assert.Equal(new ResidualCap(0.7, 1), Read($"{Residual}\nalrs.env.residual-cap = \"0.7:1\"").ResidualCap);
        Assert.True(Read(Residual).ResidualCap.IsNone);
    }

    [Theory]
    [InlineData("alrs.env.residual-cap = \"0.7:1\"", "alrs.env: environment setting residual-cap needs action = residual, got action = discrete")]
    [InlineData("alrs.env.residual-cap = \"1.5:1\"", "alrs.env.residual-cap must be off or FROM:MAX with 0 < FROM < 1 and MAX > 0 (e.g. \"0.7:1\"), got '1.5:1'")]
    [InlineData("alrs.env.residual-cap = late", "alrs.env.residual-cap must be off or FROM:MAX with 0 < FROM < 1 and MAX > 0 (e.g. \"0.7:1\"), got 'late'")]
    [InlineData("alrs.env.reward = relative", "alrs.env: environment setting reward = relative needs action = residual (its base is the reference), got action = discrete")]
    [InlineData("alrs.env.child-seed-pool = -1", "alrs.env.child-seed-pool must be in [0, 2147483647], got -1")]
    [InlineData("alrs.env.child-seed-pool = some", "alrs.env.child-seed-pool must be an integer, got 'some'")]
    public void A_bad_value_is_refused_naming_its_key(string hocon, string expected)
    {
        var error = Assert.Throws<InputException>(() => Read(hocon));
        Assert.Equal(expected, error.Message);
    }
}
