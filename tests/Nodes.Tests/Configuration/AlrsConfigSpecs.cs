using Alrs.Learning;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Tests.Configuration;

/// <summary>Load order of <see cref="AlrsConfig"/>: shipped files, preset, the user's --config file, flags.</summary>
public sealed class AlrsConfigSpecs : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-config-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void A_config_file_overrides_the_preset_and_flags_override_the_config_file()
    {
        var file = Path.Combine(_scratch, "experiment.hocon");
        File.WriteAllText(file, "alrs.env { steps = 300, batch-size = 77 }\nalrs.baselines.initial-lrs = [0.5]");

        var config = AlrsConfig.Load("mnist-mlp", new Dictionary<string, string> { ["alrs.env.batch-size"] = "64" }, configFile: file);

        Assert.Equal(300, config.GetInt("alrs.env.steps"));       // preset says 1000
        Assert.Equal(64, config.GetInt("alrs.env.batch-size"));   // the flag wins over the file
        Assert.Equal([0.5], config.GetDoubleList("alrs.baselines.initial-lrs"));
        Assert.Equal(10000, config.GetInt("alrs.env.validation-samples")); // untouched preset key
    }

    [Fact]
    public void A_missing_config_file_is_named_in_the_error()
    {
        var missing = Path.Combine(_scratch, "nope.hocon");

        var error = Assert.Throws<InputException>(() => AlrsConfig.Load(configFile: missing));

        Assert.Contains("--config", error.Message);
        Assert.Contains("nope.hocon: no such file", error.Message);
    }
}
