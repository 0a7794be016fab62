using System.Collections;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Hosting;
using Alrs.Nodes.Tests.Cluster;
using Xunit.Abstractions;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Security;

/// <summary><c>alrs cluster keys</c> and what its keys keep out, on loopback only.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterKeysSpecs(ITestOutputHelper output) : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("alrs-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Keys_are_an_owner_only_certificate_with_its_key_that_a_node_loads_and_are_never_replaced()
    {
        var keys = Path.Combine(_dir, "keys");
        var log = new StringWriter();

        Assert.Equal(CommandRouter.Ok, await new ClusterCommand(log).RunAsync(["keys", "--out", keys], CancellationToken.None));

        var path = Path.Combine(keys, ClusterKeys.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        }
        using var certificate = RemoteTls.LoadCertificate(new TlsSettings(path, "", TlsValidation.Pinned, []));
        Assert.True(certificate.HasPrivateKey);
        Assert.Contains(certificate.Thumbprint, log.ToString());

        var before = File.ReadAllBytes(path);
        var again = Assert.Throws<InputException>(() => ClusterKeys.Create(keys));
        Assert.Contains("already exists", again.Message);
        Assert.Equal(CommandRouter.Ok, await new ClusterCommand(TextWriter.Null).RunAsync(["keys", "--out", keys, "--if-missing"], CancellationToken.None));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task A_foreign_actor_system_without_the_keys_cannot_join_a_tls_cluster()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (path, _) = ClusterKeys.Create(Path.Combine(_dir, "keys"));
        output.WriteLine($"keys made in {clock.Elapsed.TotalSeconds:F1} s");
        var config = ClusterNodeConfig.Load(new Dictionary<string, string> { ["alrs.cluster.port"] = "0", ["alrs.ctl.enabled"] = "off", ["akka.loglevel"] = "WARNING" },
            environment: new Hashtable { ["ALRS_TLS"] = "on", ["ALRS_TLS_CERTIFICATE"] = path });
        var settings = ClusterSettings.FromConfig(config) with { JoinTimeout = TimeSpan.FromSeconds(20) };
        await using var seed = await ClusterNode.StartAsync(settings, config, [NodeRoles.Learner], isSeed: true, TextWriter.Null);
        Assert.Equal("akka.ssl.tcp", seed.SelfAddress.Protocol);
        output.WriteLine($"seed up at {clock.Elapsed.TotalSeconds:F1} s");

        // A stranger with Akka, the system name and the address, but its own certificate.
        using var stranger = new SelfSignedCertificate("CN=alrs-cluster");
        var foreignConfig = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.loglevel = OFF
            akka.remote.dot-netty.tcp {
              hostname = "127.0.0.1"
              port = 0
              enable-ssl = true
              ssl {
                require-mutual-authentication = true
                validate-certificate-hostname = false
                suppress-validation = true
                certificate { path = "{{stranger.Path}}", password = "{{stranger.Password}}" }
              }
            }
            """);
        var foreign = ActorSystem.Create(seed.SelfAddress.System, foreignConfig);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(6));
            await Assert.ThrowsAnyAsync<Exception>(() => Akka.Cluster.Cluster.Get(foreign).JoinAsync(seed.SelfAddress, timeout.Token));
            Assert.Single(Akka.Cluster.Cluster.Get(seed.System).State.Members);
            output.WriteLine($"join refused at {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await foreign.Terminate();
            output.WriteLine($"foreign system terminated at {clock.Elapsed.TotalSeconds:F1} s");
        }
    }
}
