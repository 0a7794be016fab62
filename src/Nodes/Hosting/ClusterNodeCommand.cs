using System.Runtime.InteropServices;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// What <c>alrs seed</c> and <c>alrs worker</c> share: the address flags, loading the
/// cluster configuration, starting the node and running it until Ctrl-C or SIGTERM, which
/// leave the cluster gracefully (exit 0). A node removed by the cluster exits 1.
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

    /// <summary>Switch turning TLS on (hocon/tls.hocon).</summary>
    public const string TlsSwitch = "tls";

    public const string Synopsis = "[--host ADDR] [--port N] [--public-hostname NAME] [--seeds host:port,...] [--tls]";

    /// <summary>The configuration overrides the flags ask for.</summary>
    public static Dictionary<string, string> Overrides(CommandArguments arguments)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (flag, key) in AddressOptions)
            if (arguments.Get(flag) is { } value) overrides[key] = value;
        if (arguments.Has(TlsSwitch)) overrides["alrs.cluster.tls.enabled"] = "on";
        return overrides;
    }

    public static async Task<int> RunAsync(string name, CommandArguments arguments, bool isSeed, IReadOnlyList<string> roles, CancellationToken cancellation)
    {
        if (arguments.Positional.Count > 0)
            throw new UsageException($"unexpected argument '{arguments.Positional[0]}'");
        var config = ClusterNodeConfig.Load(Overrides(arguments));
        var settings = ClusterSettings.FromConfig(config);

        // SIGTERM (docker stop, kill) stops the node like Ctrl-C: leave, then exit.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var output = Console.Out;
        await using var node = await ClusterNode.StartAsync(settings, config, roles, isSeed, output, NodeRoles.Hooks, stop.Token);
        output.WriteLine($"alrs {name}: up as {node.SelfAddress} [{string.Join(", ", roles)}]; Ctrl-C or SIGTERM leaves the cluster");
        if (!await node.RunUntilStoppedAsync(stop.Token))
        {
            Console.Error.WriteLine($"alrs {name}: the cluster removed this node ({node.SelfAddress}); exiting");
            return CommandRouter.Failure;
        }
        output.WriteLine($"alrs {name}: left the cluster");
        return CommandRouter.Ok;
    }
}
