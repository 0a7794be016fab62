using Akka.Actor;
using Alrs.Learning;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// What <c>alrs seed</c> and <c>alrs worker</c> share: the address flags, loading the
/// cluster configuration, starting the node and running it until Ctrl-C or SIGTERM, which
/// leave the cluster gracefully (exit 0). A node removed by the cluster exits 1; a node that
/// shut itself down (<see cref="NodeFailedReason"/>) prints why and exits with its code.
/// </summary>
public static class ClusterNodeCommand
{
    /// <summary>Flags with a value, each mapped to its <c>alrs.cluster</c> key.</summary>
    public static readonly IReadOnlyDictionary<string, string> AddressOptions = new Dictionary<string, string>
    {
        ["host"] = "alrs.cluster.host",
        ["port"] = "alrs.cluster.port",
        ["public-hostname"] = "alrs.cluster.public-hostname",
        ["seeds"] = "alrs.cluster.seeds",
    };

    /// <summary>
    /// Training flags with a value, each mapped to its key. Every node of a cluster should be
    /// given the same preset and experiment settings (docs/cluster.md).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> TrainingOptions = new Dictionary<string, string>
    {
        ["envs"] = "alrs.worker.environments",
        ["episodes"] = "alrs.train.episodes",
        ["dataset"] = "alrs.env.dataset",
        ["arch"] = "alrs.env.arch",
        ["data-dir"] = "alrs.data.dir",
        ["out"] = "alrs.train.out",
        ["dataset-path"] = ProblemFlags.PathKey,
        ["format"] = ProblemFlags.FormatKey,
        ["controllers"] = "alrs.population.controllers",
    };

    /// <summary>A preset (hocon/presets/NAME.hocon) and an extra HOCON file layered over the shipped ones.</summary>
    public const string PresetOption = "preset", ConfigOption = "config";

    /// <summary>Every flag with a value that seed and worker accept.</summary>
    public static string[] ValueOptions => [.. AddressOptions.Keys, .. TrainingOptions.Keys, PresetOption, ConfigOption];

    /// <summary>Switch turning TLS on (hocon/tls.hocon).</summary>
    public const string TlsSwitch = "tls";

    /// <summary>Switch allowing a non-loopback bind without TLS (<see cref="ClusterExposure"/>).</summary>
    public const string InsecureSwitch = "insecure";

    /// <summary>Every switch that seed and worker accept.</summary>
    public static string[] Switches => [TlsSwitch, InsecureSwitch, DatasetAutoFetch.NoFetchSwitch];

    public const string Synopsis = "[--host ADDR] [--port N] [--public-hostname NAME] [--seeds host:port,...] [--tls | --insecure] [--preset P] [--config FILE] [--dataset D | --dataset-path PATH --format F] [--arch A] [--data-dir DIR] [--no-fetch]";

    /// <summary>The configuration overrides the flags ask for.</summary>
    public static Dictionary<string, string> Overrides(CommandArguments arguments)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (flag, key) in AddressOptions.Concat(TrainingOptions))
            if (arguments.Get(flag) is { } value) overrides[key] = value;
        if (arguments.Has(TlsSwitch)) overrides["alrs.cluster.tls.enabled"] = "on";
        if (arguments.Has(InsecureSwitch)) overrides[ClusterExposure.InsecureKey] = "on";
        if (arguments.Has(DatasetAutoFetch.NoFetchSwitch)) overrides[DatasetAutoFetch.Key] = DatasetAutoFetch.NoFetchOverride.Value;
        ProblemFlags.Apply(arguments, overrides);
        return overrides;
    }

    public static async Task<int> RunAsync(string name, CommandArguments arguments, bool isSeed, IReadOnlyList<string> roles, CancellationToken cancellation)
    {
        if (arguments.Positional.Count > 0)
            throw new UsageException($"unexpected argument '{arguments.Positional[0]}'");
        arguments.GetInt("envs", 1, 256);
        arguments.GetInt("episodes", 1, 10_000_000);
        arguments.GetInt("controllers", 1, 64);
        var configFile = arguments.Get(ConfigOption);
        if (configFile is not null && !File.Exists(configFile))
            throw new InputException($"--{ConfigOption}: {Path.GetFullPath(configFile)} does not exist");
        var config = ClusterNodeConfig.Load(Overrides(arguments), preset: arguments.Get(PresetOption), configFile: configFile);
        var settings = ClusterSettings.FromConfig(config);
        // Before anything binds: no TLS beyond loopback is refused, or (--insecure) said out loud.
        var warning = ClusterExposure.Check(name, settings, settings.ListenPort(isSeed), ClusterExposure.IsInsecure(config));
        if (warning is not null) Console.Error.WriteLine(warning);
        // The actors' settings are checked before joining, so a bad value ends here with exit 2, not inside a running cluster.
        Actors.ActorSettings.FromConfig(config);
        if (roles.Contains(NodeRoles.Learner) && NodeStore.IsLocal(config))
            Directory.CreateDirectory(NodeStore.Directory(config));
        // A worker loads its dataset when the node starts: fetch it first, before joining.
        if (roles.Contains(NodeRoles.Worker))
            await DatasetAutoFetch.EnsureAsync(config, ExperimentSettings.Problem(config), name, Console.Out, cancellation);

        // SIGTERM (docker stop, kill) cancels like Ctrl-C (CommandRouter): the node leaves, then exits.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

        var output = Console.Out;
        await using var node = await ClusterNode.StartAsync(settings, config, roles, isSeed, output, NodeRoles.Hooks, stop.Token);
        output.WriteLine($"alrs {name}: up as {node.SelfAddress} [{string.Join(", ", roles)}]; Ctrl-C or SIGTERM leaves the cluster");
        var leftByRequest = await node.RunUntilStoppedAsync(stop.Token);
        if (CoordinatedShutdown.Get(node.System).ShutdownReason is NodeFailedReason failed)
        {
            Console.Error.WriteLine($"alrs {name}: {failed.Message}");
            return failed.ExitCode;
        }
        if (!leftByRequest)
        {
            Console.Error.WriteLine($"alrs {name}: the cluster removed this node ({node.SelfAddress}); exiting");
            return CommandRouter.Failure;
        }
        output.WriteLine($"alrs {name}: left the cluster");
        return CommandRouter.Ok;
    }
}
