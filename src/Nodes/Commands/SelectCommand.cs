using Alrs.Learning.Data;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;
using Alrs.Torch;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs select RUN-DIR</c>: selects a population run's policy from the controllers' latest
/// stored versions (<see cref="PopulationSelection"/>), as <c>alrs train</c> does when training
/// ends; for a run that was interrupted, or to select again after <c>--resume</c>.
/// </summary>
public sealed class SelectCommand(TextWriter? output = null, string? hoconDirectory = null) : ICommand
{
    public string Name => "select";

    public string Synopsis => "RUN-DIR [--data-dir DIR] [--no-fetch]   select a population run's controller on the selection seed (writes selection.json and policy-vN.alrspol)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, ["data-dir"], [DatasetAutoFetch.NoFetchSwitch]);
        if (arguments.Positional.Count != 1) throw new UsageException("expected exactly one run directory");
        var (directory, runConfig) = RunDirectory.Open(arguments.Positional[0]);
        var overrides = new Dictionary<string, string>();
        if (arguments.Get("data-dir") is { } dataDir) overrides["alrs.data.dir"] = dataDir;
        if (arguments.Has(DatasetAutoFetch.NoFetchSwitch)) overrides.Add(DatasetAutoFetch.NoFetchOverride.Key, DatasetAutoFetch.NoFetchOverride.Value);
        var config = TrainCommand.Overrides(overrides).WithFallback(runConfig).WithFallback(AlrsConfig.Load(null, null, hoconDirectory));
        var problem = ExperimentSettings.Problem(config);
        var environment = ExperimentSettings.Environment(config);
        var log = output ?? Console.Out;

        TorchRuntime.EnsureLoadable();
        await DatasetAutoFetch.EnsureAsync(config, problem, Name, log, cancellation);
        using var data = problem.Load();
        await PopulationSelection.SelectAsync(directory, config, data, problem, environment, log.WriteLine, cancellation);
        return CommandRouter.Ok;
    }
}
