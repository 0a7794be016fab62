using System.Text.RegularExpressions;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Ppo;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Tests.Configuration;

/// <summary>Config spec of <c>alrs.ppo</c> in hocon/experiment.hocon and its mapping onto <see cref="PpoSettings"/>.</summary>
public sealed class PpoConfigurationSpecs
{
    static PpoSettings Load(params (string Path, string Value)[] overrides) =>
        PpoConfiguration.FromConfig(AlrsConfig.Load(null, overrides.ToDictionary(o => o.Path, o => o.Value)));

    [Fact]
    public void The_shipped_hocon_defines_exactly_the_keys_the_mapping_reads()
    {
        var config = AlrsConfig.Load();
        var shipped = config.GetConfig(PpoConfiguration.Section).AsEnumerable().Select(e => $"{PpoConfiguration.Section}.{e.Key}").Order().ToList();
        Assert.Equal(PpoConfiguration.Paths.Order().ToList(), shipped);
    }

    [Fact]
    public void Every_ppo_key_in_experiment_hocon_has_a_comment_line_above_it()
    {
        var lines = File.ReadAllLines(Path.Combine(AlrsConfig.HoconDirectory, "experiment.hocon"));
        var start = Array.FindIndex(lines, l => l.Trim() == "ppo {");
        Assert.True(start > 0, "experiment.hocon has no 'ppo {' block");
        var keys = 0;
        for (var i = start + 1; lines[i].Trim() != "}"; i++)
        {
            if (Regex.Match(lines[i], @"^\s*([a-z-]+)\s*=") is not { Success: true } key) continue;
            keys++;
            Assert.True(lines[i - 1].TrimStart().StartsWith('#'), $"alrs.ppo.{key.Groups[1].Value} has no comment above it");
        }
        Assert.Equal(PpoConfiguration.Paths.Count, keys);
    }

    [Fact]
    public void The_shipped_defaults_are_the_reimplementation_settings() =>
        Assert.Equal(PpoSettings.Reimplementation, Load());

    [Fact]
    public void An_explicit_key_overrides_the_shipped_value_and_a_preset()
    {
        var authors = ConfigurationFactory.ParseString("alrs.ppo { gamma = 0.95, target-kl = 0.02 }").WithFallback(AlrsConfig.Load("quick-authors"));
        Assert.Equal(PpoSettings.Authors with { Gamma = 0.95, TargetKl = 0.02 }, PpoConfiguration.FromConfig(authors));
        // Setting a key back to the reimplementation's value takes effect too.
        var reset = ConfigurationFactory.ParseString("alrs.ppo.gamma = 1.0").WithFallback(AlrsConfig.Load("quick-authors"));
        Assert.Equal(PpoSettings.Authors with { Gamma = 1.0 }, PpoConfiguration.FromConfig(reset));
        Assert.Equal(PpoSettings.Reimplementation with { NormalizeRewards = false, CriticLearningRate = 0.01, Epochs = 10 },
            Load(("alrs.ppo.normalize-rewards", "off"), ("alrs.ppo.critic-learning-rate", "1e-2"), ("alrs.ppo.epochs", "10")));
    }

    [Fact]
    public void Hidden_widths_are_read_as_a_list()
    {
        var config = ConfigurationFactory.ParseString("alrs.ppo.actor-hidden = [64, 16]").WithFallback(AlrsConfig.Load());
        Assert.Equal([64, 16], PpoConfiguration.FromConfig(config).ActorHidden);
    }

    [Theory]
    [InlineData("alrs.ppo.gamma", "1.5", "alrs.ppo.gamma must be in [0, 1], got 1.5")]
    [InlineData("alrs.ppo.lambda", "-0.1", "alrs.ppo.lambda must be in [0, 1]")]
    [InlineData("alrs.ppo.clip-coefficient", "0", "alrs.ppo.clip-coefficient must be positive")]
    [InlineData("alrs.ppo.entropy-coefficient", "-1", "alrs.ppo.entropy-coefficient must be >= 0")]
    [InlineData("alrs.ppo.learning-rate", "fast", "alrs.ppo.learning-rate must be a number")]
    [InlineData("alrs.ppo.critic-learning-rate", "-1", "alrs.ppo.critic-learning-rate must be positive")]
    [InlineData("alrs.ppo.minibatches", "0", "alrs.ppo.minibatches must be in [1,")]
    [InlineData("alrs.ppo.epochs", "2.5", "alrs.ppo.epochs must be an integer")]
    [InlineData("alrs.ppo.clip-value-loss", "maybe", "alrs.ppo.clip-value-loss must be on or off")]
    [InlineData("alrs.ppo.target-kl", "0", "alrs.ppo.target-kl must be positive")]
    [InlineData("alrs.ppo.fixed-std", "", "alrs.ppo.fixed-std is missing or empty")]
    public void A_bad_value_is_rejected_naming_its_key(string path, string value, string expected)
    {
        var error = Assert.Throws<InputException>(() => Load((path, value)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_hidden_width_that_is_not_a_positive_integer_is_rejected_naming_its_key()
    {
        var config = ConfigurationFactory.ParseString("alrs.ppo.critic-hidden = [32, 0]").WithFallback(AlrsConfig.Load());
        var error = Assert.Throws<InputException>(() => PpoConfiguration.FromConfig(config));
        Assert.Contains("alrs.ppo.critic-hidden must be a non-empty list of positive integers", error.Message);
    }

    [Fact]
    public void Every_shipped_preset_maps_onto_valid_ppo_settings_and_quick_authors_selects_the_authors_controller()
    {
        var presets = Directory.GetFiles(Path.Combine(AlrsConfig.HoconDirectory, "presets"), "*.hocon").Select(Path.GetFileNameWithoutExtension).ToList();
        foreach (var preset in presets) PpoConfiguration.FromConfig(AlrsConfig.Load(preset));
        Assert.Contains("quick-authors", presets);
        var authors = AlrsConfig.Load("quick-authors");
        Assert.Equal(PpoSettings.Authors, PpoConfiguration.FromConfig(authors));
        Assert.Equal("authors", ExperimentSettings.Environment(authors).Observation);
        Assert.Equal("authors", ExperimentSettings.Environment(authors).Action);
    }

    [Fact]
    public void The_configuration_a_run_writes_gives_back_the_same_ppo_settings()
    {
        var scratch = Directory.CreateTempSubdirectory("alrs-ppo-").FullName;
        try
        {
            var config = AlrsConfig.Load("quick-authors", new Dictionary<string, string> { ["alrs.ppo.epochs"] = "3" });
            var run = RunDirectory.Create(Path.Combine(scratch, "run"), config);
            var written = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(run, RunDirectory.ConfigFile)));
            Assert.Equal(PpoSettings.Authors with { Epochs = 3 }, PpoConfiguration.FromConfig(written));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
