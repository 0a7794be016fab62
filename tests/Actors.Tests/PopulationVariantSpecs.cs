using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning;

namespace Alrs.Actors.Tests;

/// <summary>alrs.population.variants: one object per controller over alrs, only keys that make a controller, each refused in one line naming it.</summary>
public sealed class PopulationVariantSpecs
{
    static Config Configuration(int controllers, string variants) => ConfigurationFactory.ParseString($$"""
        alrs.population { controllers = {{controllers}}, selection-seed = 100, variants = {{variants}} }
        alrs.env { action-factor = 1.05, steps = 50, dataset = mnist }
        alrs.ppo { clip-coefficient = 0.2, learning-rate = 0.0003 }
        alrs.actors.learner.seed = 1
        """);

    [Fact]
    public void Each_controller_gets_its_variant_over_the_runs_configuration()
    {
        var config = Configuration(3, "[{ env.action-factor = 2 }, { ppo { clip-coefficient = 0.1, learning-rate = 0.001 } }, {}]");
        var population = PopulationSettings.FromConfig(config);

        Assert.Equal(2.0, population.ConfigOf(config, 0).GetDouble("alrs.env.action-factor"));
        Assert.Equal(0.2, population.ConfigOf(config, 0).GetDouble("alrs.ppo.clip-coefficient"));
        Assert.Equal(1.05, population.ConfigOf(config, 1).GetDouble("alrs.env.action-factor"));
        Assert.Equal(0.1, population.ConfigOf(config, 1).GetDouble("alrs.ppo.clip-coefficient"));
        Assert.Equal(0.001, population.ConfigOf(config, 1).GetDouble("alrs.ppo.learning-rate"));
        Assert.Equal(1.05, population.ConfigOf(config, 2).GetDouble("alrs.env.action-factor"));
        Assert.Equal("env.action-factor = 2", population.VariantOf(0).Description);
        Assert.Equal("ppo.clip-coefficient = 0.1, ppo.learning-rate = 0.001", population.VariantOf(1).Description);
        Assert.Equal("", population.VariantOf(2).Description);
        // The learner of controller k carries its variant into its status.
        Assert.Equal("env.action-factor = 2", population.SettingsOf(new ActorSettings(), 0).Variant);
    }

    [Fact]
    public void No_variants_leave_every_controller_on_the_runs_configuration()
    {
        var config = Configuration(2, "[]");
        var population = PopulationSettings.FromConfig(config);

        Assert.Empty(population.Variants);
        Assert.Same(config, population.ConfigOf(config, 1));
    }

    [Theory]
    [InlineData(3, "[{ env.action-factor = 2 }, {}]", "lists 2 variants for 3 controllers")]
    [InlineData(2, "[{ ppo.clip = 0.1 }, {}]", "alrs.population.variants[0]: ppo.clip is not a configuration key")]
    [InlineData(2, "[{}, { env.steps = 10 }]", "alrs.population.variants[1]: env.steps may not differ between controllers")]
    [InlineData(2, "[{}, { actors.learner.seed = 3 }]", "alrs.population.variants[1]: actors.learner.seed may not differ between controllers")]
    [InlineData(2, "[2, {}]", "alrs.population.variants[0] must be an object")]
    [InlineData(2, "\"none\"", "alrs.population.variants must be a list of objects")]
    public void A_bad_variant_is_refused_in_one_line_naming_it(int controllers, string variants, string expected)
    {
        var error = Assert.Throws<InputException>(() => PopulationSettings.FromConfig(Configuration(controllers, variants)));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
