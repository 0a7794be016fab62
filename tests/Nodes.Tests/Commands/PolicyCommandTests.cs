using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;

namespace Alrs.Nodes.Tests.Commands;

public sealed class PolicyCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-policy-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    static async Task<(int Code, string Error)> Route(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandRouter.RunAsync(args, error);
        return (code, error.ToString());
    }

    string Config(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Upgrade_records_the_training_configuration_in_a_blob_without_a_spec_and_show_prints_it()
    {
        var path = Path.Combine(_scratch, "old.alrspol");
        using (var agent = new PpoAgent(PpoSettings.Reimplementation, 8, ActionSpace.Discrete(3), seed: 1))
            File.WriteAllBytes(path, agent.ToBlob()); // no spec, as format-1 blobs were written
        var config = Config("trained.hocon", "alrs.env { observation = reimplementation-log, observe-progress = on, reward = improvement, action-factor = 1.2 }");

        var output = new StringWriter();
        Assert.Equal(CommandRouter.Ok, await new PolicyCommand(output).RunAsync(["upgrade", path, "--config", config], CancellationToken.None));

        using var upgraded = PpoAgent.FromBlob(File.ReadAllBytes(path));
        Assert.Equal(new ControllerSpec(ObservationFeatures.ReimplementationLog, true, ActionMappings.Discrete, 1.2, RewardMode.Improvement), upgraded.Spec);
        var shown = new StringWriter();
        Assert.Equal(CommandRouter.Ok, await new PolicyCommand(shown).RunAsync(["show", path], CancellationToken.None));
        Assert.Contains($"format {PolicyBlob.FormatVersion}", shown.ToString());
        Assert.Contains("observation = reimplementation-log, observe-progress = on, action = discrete, action-factor = 1.2, reward = improvement", shown.ToString());
    }

    [Fact]
    public async Task Upgrade_refuses_a_configuration_that_cannot_be_the_training_one_and_leaves_the_file_alone()
    {
        var path = Path.Combine(_scratch, "old.alrspol");
        using (var agent = new PpoAgent(PpoSettings.Reimplementation, 8, ActionSpace.Discrete(3), seed: 1))
            File.WriteAllBytes(path, agent.ToBlob());
        var before = File.ReadAllBytes(path);

        var (code, error) = await Route("policy", "upgrade", path, "--config", Config("seven.hocon", "alrs.env.observation = reimplementation"));
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("7 observation features, but", error);
        var (continuous, error2) = await Route("policy", "upgrade", path, "--config", Config("cont.hocon", "alrs.env { observation = reimplementation-log, observe-progress = on, action = log-continuous }"));
        Assert.Equal(CommandRouter.BadInput, continuous);
        Assert.Contains("action space", error2);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
