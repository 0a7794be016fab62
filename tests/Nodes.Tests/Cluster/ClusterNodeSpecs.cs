using System.Collections;
using Alrs.Nodes.Hosting;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>Start-up failures of a plain (non-TLS) node on loopback.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterNodeSpecs
{
    static async Task<ClusterNode> StartSeedAsync(int port)
    {
        var config = ClusterNodeConfig.Load(new Dictionary<string, string> { ["alrs.cluster.port"] = port.ToString() }, environment: new Hashtable());
        return await ClusterNode.StartAsync(ClusterSettings.FromConfig(config), config, [NodeRoles.Learner], isSeed: true, TextWriter.Null);
    }

    [Fact]
    public async Task A_second_node_on_a_port_in_use_fails_naming_the_address()
    {
        await using var first = await StartSeedAsync(0);
        var port = first.SelfAddress.Port!.Value;

        var error = await Assert.ThrowsAsync<ClusterJoinException>(() => StartSeedAsync(port));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("in use", error.Message);
    }
}
