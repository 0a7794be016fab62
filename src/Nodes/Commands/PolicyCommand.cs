using Alrs.Learning;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs policy show FILE</c>: what a policy blob holds — format, controller spec, PPO
/// settings, shapes, updates. <c>alrs policy upgrade FILE --config CONFIG [--out FILE]</c>:
/// rewrites a blob in the current format; a blob without a recorded controller spec (format 1)
/// takes it from the configuration it was trained with, so it is self-describing from then on
/// and can no longer be evaluated silently with another configuration's features.
/// </summary>
public sealed class PolicyCommand(TextWriter? output = null, string? hoconDirectory = null) : ICommand
{
    public string Name => "policy";

    public string Synopsis => "show FILE | upgrade FILE --config CONFIG [--out FILE]   describe a policy blob, or re-save it self-describing in the current format";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, ["config", "out"]);
        if (arguments.Positional.Count != 2 || arguments.Positional[0] is not ("show" or "upgrade"))
            throw new UsageException("expected `show FILE` or `upgrade FILE --config CONFIG [--out FILE]`");
        var (verb, path) = (arguments.Positional[0], arguments.Positional[1]);
        if (!File.Exists(path)) throw new InputException($"policy file {path} does not exist");
        var blob = File.ReadAllBytes(path);
        using var agent = PpoAgent.FromBlob(blob);
        var log = output ?? Console.Out;
        var format = blob.Length >= PolicyBlob.Magic.Length + 4 ? BitConverter.ToInt32(blob, PolicyBlob.Magic.Length) : 0;

        if (verb == "show")
        {
            log.WriteLine($"{path}: format {format}, {blob.Length} bytes, {agent.Updates} updates, seed {agent.Seed}");
            log.WriteLine($"controller: {agent.Spec?.ToString() ?? "not recorded (format 1: run `alrs policy upgrade` with the training configuration)"}");
            log.WriteLine($"observation: {agent.ObservationSize} features; action: {agent.ActionSpace}");
            log.WriteLine($"ppo: {agent.Settings}");
            return Task.FromResult(CommandRouter.Ok);
        }

        var configFile = arguments.Get("config") ?? throw new UsageException("upgrade needs --config: the configuration the policy was trained with");
        var trained = ControllerSpec.Of(ExperimentSettings.Environment(AlrsConfig.Load(null, null, hoconDirectory, configFile)));
        if (agent.Spec is { } recorded)
            PolicySpecCheck.RefuseContradictions(recorded, AlrsConfig.Load(null, null, hoconDirectory, configFile, withDefaults: false), path);
        else
        {
            var settings = trained.ApplyTo(ExperimentSettings.Environment(AlrsConfig.Load(null, null, hoconDirectory, configFile)));
            var space = ActionMappings.For(settings).Space;
            if (space != agent.ActionSpace)
                throw new InputException($"{configFile} configures the action space {space}, but {path} was trained with {agent.ActionSpace}: not its training configuration");
            if (settings.Features().Size != agent.ObservationSize)
                throw new InputException($"{configFile} configures {settings.Features().Size} observation features, but {path} was trained with {agent.ObservationSize}: not its training configuration");
            agent.Spec = trained;
        }
        var target = arguments.Get("out") ?? path;
        var temporary = target + ".tmp";
        File.WriteAllBytes(temporary, agent.ToBlob());
        File.Move(temporary, target, overwrite: true);
        log.WriteLine($"{target}: format {PolicyBlob.FormatVersion}, controller {agent.Spec}");
        return Task.FromResult(CommandRouter.Ok);
    }
}
