using System.Collections;
using Akka.Actor;
using Akka.Cluster;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Hosting;
using Xunit.Abstractions;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>Two in-process nodes on loopback with TLS (hocon/tls.hocon) and a generated certificate.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TlsClusterSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    // Joins that should succeed get time to spare on a loaded CI machine; joins that must
    // fail are given up sooner (the handshake is refused at once, so waiting longer proves nothing).
    static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(10), RefusedJoinTimeout = TimeSpan.FromSeconds(4);

    readonly SelfSignedCertificate _certificate = new();
    readonly List<ClusterNode> _nodes = [];

    static (ClusterSettings Settings, Akka.Configuration.Config Config) Node(SelfSignedCertificate? certificate, IReadOnlyList<Address>? seeds, TimeSpan joinTimeout)
    {
        var environment = certificate is null
            ? new Hashtable()
            : new Hashtable { ["ALRS_TLS"] = "on", ["ALRS_TLS_CERTIFICATE"] = certificate.Path, ["ALRS_TLS_CERTIFICATE_PASSWORD"] = certificate.Password };
        // Port 0 everywhere: the OS picks free ports, joiners are told the seed's real address.
        var config = ClusterNodeConfig.Load(new Dictionary<string, string> { ["alrs.cluster.port"] = "0" }, environment: environment);
        var settings = ClusterSettings.FromConfig(config) with { Seeds = seeds ?? [], JoinTimeout = joinTimeout };
        return (settings, config);
    }

    async Task<ClusterNode> StartAsync(SelfSignedCertificate? certificate, bool isSeed, IReadOnlyList<Address>? seeds = null, TimeSpan? joinTimeout = null)
    {
        var (settings, config) = Node(certificate, seeds, joinTimeout ?? JoinTimeout);
        var node = await ClusterNode.StartAsync(settings, config, [isSeed ? NodeRoles.Learner : NodeRoles.Worker], isSeed, new TestOutputWriter(Output));
        _nodes.Add(node);
        return node;
    }

    static int UpMembers(ClusterNode node) => Akka.Cluster.Cluster.Get(node.System).State.Members.Count(m => m.Status == MemberStatus.Up);

    [Fact]
    public async Task Two_nodes_sharing_a_certificate_form_a_tls_cluster()
    {
        var seed = await StartAsync(_certificate, isSeed: true);
        var worker = await StartAsync(_certificate, isSeed: false, [seed.SelfAddress]);

        Assert.Equal("akka.ssl.tcp", seed.SelfAddress.Protocol);
        Assert.Equal("akka.ssl.tcp", worker.SelfAddress.Protocol);
        AwaitAssert(() => Assert.Equal(2, UpMembers(seed)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_node_without_tls_cannot_join_a_tls_cluster()
    {
        var seed = await StartAsync(_certificate, isSeed: true);
        var plainSeedAddress = new Address("akka.tcp", seed.SelfAddress.System, seed.SelfAddress.Host, seed.SelfAddress.Port);

        await WithinAsync(RefusedJoinTimeout + TimeSpan.FromSeconds(15), async () =>
        {
            await Assert.ThrowsAsync<ClusterJoinException>(() => StartAsync(null, isSeed: false, [plainSeedAddress], RefusedJoinTimeout));
        });
        Assert.Equal(1, UpMembers(seed));
        Assert.Single(Akka.Cluster.Cluster.Get(seed.System).State.Members);
    }

    [Fact]
    public async Task A_node_with_another_certificate_is_refused_by_a_pinned_cluster()
    {
        using var stranger = new SelfSignedCertificate("CN=stranger");
        var seed = await StartAsync(_certificate, isSeed: true);

        await WithinAsync(RefusedJoinTimeout + TimeSpan.FromSeconds(15), async () =>
        {
            await Assert.ThrowsAsync<ClusterJoinException>(() => StartAsync(stranger, isSeed: false, [seed.SelfAddress], RefusedJoinTimeout));
        });
        Assert.Single(Akka.Cluster.Cluster.Get(seed.System).State.Members);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes)) await node.DisposeAsync();
        _certificate.Dispose();
    }
}

/// <summary>Routes a node's membership lines to xunit's per-test output.</summary>
sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        try
        {
            output.WriteLine(value ?? "");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; a late membership line has nowhere to go.
        }
    }
}
