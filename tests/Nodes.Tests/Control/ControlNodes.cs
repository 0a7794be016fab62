using System.Collections;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Nodes.Hosting;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Control;

/// <summary>In-process cluster nodes for the ctl specs: loopback, OS-chosen ports for both the cluster and the endpoint.</summary>
public static class ControlNodes
{
    /// <summary>The configuration <c>alrs seed</c> would load, with free ports and no environment variables.</summary>
    public static Config Config(bool endpoint = true) => ClusterNodeConfig.Load(new Dictionary<string, string>
    {
        ["alrs.cluster.port"] = "0",
        ["alrs.ctl.port"] = "0",
        ["alrs.ctl.enabled"] = endpoint ? "on" : "off",
        ["akka.loglevel"] = "WARNING",
    }, environment: new Hashtable());

    /// <summary>Starts a seed (a new cluster) with <paramref name="roles"/> on <paramref name="config"/>.</summary>
    public static Task<ClusterNode> StartSeedAsync(IReadOnlyCollection<string> roles, Config? config = null, TextWriter? output = null)
    {
        config ??= Config();
        return ClusterNode.StartAsync(ClusterSettings.FromConfig(config) with { JoinTimeout = TimeSpan.FromSeconds(20) }, config, roles, isSeed: true, output ?? TextWriter.Null);
    }

    /// <summary>Starts a worker without an endpoint that joins <paramref name="seed"/>.</summary>
    public static Task<ClusterNode> StartWorkerAsync(Address seed)
    {
        var config = Config(endpoint: false);
        var settings = ClusterSettings.FromConfig(config) with { Seeds = [seed], JoinTimeout = TimeSpan.FromSeconds(20) };
        return ClusterNode.StartAsync(settings, config, [NodeRoles.Worker], isSeed: false, TextWriter.Null);
    }

    /// <summary><c>HOST:PORT</c> of the node's endpoint.</summary>
    public static string Endpoint(ClusterNode node) =>
        node.Control?.Endpoint ?? throw new InvalidOperationException("the node has no command endpoint");
}
