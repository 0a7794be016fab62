using System.Collections;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Hosting;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>hocon/cluster.hocon, its environment variables and flags, mapped to <see cref="ClusterSettings"/>.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSettingsSpecs
{
    static readonly IDictionary NoEnvironment = new Hashtable();

    static ClusterSettings Load(IReadOnlyDictionary<string, string>? flags = null, IDictionary? environment = null) =>
        ClusterSettings.FromConfig(ClusterNodeConfig.Load(flags, environment: environment ?? NoEnvironment));

    [Fact]
    public void Defaults_bind_loopback_only_and_a_seed_listens_on_4053_a_worker_on_any_port()
    {
        var settings = Load();

        Assert.Equal("127.0.0.1", settings.Host);
        Assert.Equal(4053, settings.ListenPort(isSeed: true));
        Assert.Equal(0, settings.ListenPort(isSeed: false));
        Assert.Empty(settings.Seeds);
        Assert.Null(settings.Tls);
        Assert.Equal("127.0.0.1", ClusterNodeConfig.AdvertisedHostname(settings));
    }

    [Fact]
    public void Environment_variables_override_the_file_and_flags_override_the_environment()
    {
        var environment = new Hashtable
        {
            ["ALRS_HOST"] = "0.0.0.0",
            ["ALRS_PORT"] = "5000",
            ["ALRS_PUBLIC_HOSTNAME"] = "seed",
            ["ALRS_SEEDS"] = "seed:4053, other:4054",
        };
        var fromEnvironment = Load(environment: environment);
        var fromFlags = Load(new Dictionary<string, string> { ["alrs.cluster.port"] = "6000" }, environment);

        Assert.Equal("0.0.0.0", fromEnvironment.Host);
        Assert.Equal(5000, fromEnvironment.ListenPort(isSeed: false));
        Assert.Equal("seed", ClusterNodeConfig.AdvertisedHostname(fromEnvironment));
        Assert.Equal(["akka.tcp://alrs@seed:4053", "akka.tcp://alrs@other:4054"], fromEnvironment.Seeds.Select(a => a.ToString()));
        Assert.Equal(6000, fromFlags.ListenPort(isSeed: false));
    }

    [Theory]
    [InlineData("70000")]
    [InlineData("abc")]
    [InlineData("-1")]
    public void Bad_port_is_rejected_naming_the_key(string port)
    {
        var error = Assert.Throws<InputException>(() => Load(new Dictionary<string, string> { ["alrs.cluster.port"] = port }));

        Assert.Contains("alrs.cluster.port", error.Message);
        Assert.Contains(port, error.Message);
    }

    [Fact]
    public void Seeds_accept_host_port_and_full_addresses_but_not_another_system()
    {
        var seeds = ClusterSettings.ParseSeeds("10.0.0.1:4053,akka.tcp://alrs@seed:4054", "alrs", "akka.tcp");

        Assert.Equal([new Address("akka.tcp", "alrs", "10.0.0.1", 4053), new Address("akka.tcp", "alrs", "seed", 4054)], seeds);
        var error = Assert.Throws<InputException>(() => ClusterSettings.ParseSeeds("akka.tcp://other@seed:4054", "alrs", "akka.tcp"));
        Assert.Contains("'other'", error.Message);
        Assert.Throws<InputException>(() => ClusterSettings.ParseSeeds("seed", "alrs", "akka.tcp"));
    }

    [Fact]
    public void Tls_without_a_certificate_is_rejected_naming_the_variable()
    {
        var error = Assert.Throws<InputException>(() => Load(environment: new Hashtable { ["ALRS_TLS"] = "on" }));

        Assert.Contains("ALRS_TLS_CERTIFICATE", error.Message);
    }

    [Fact]
    public void Tls_nodes_speak_akka_ssl_tcp_to_their_seeds()
    {
        var settings = Load(environment: new Hashtable
        {
            ["ALRS_TLS"] = "on",
            ["ALRS_TLS_CERTIFICATE"] = "/nonexistent.pfx",
            ["ALRS_SEEDS"] = "seed:4053",
        });

        Assert.Equal(TlsValidation.Pinned, settings.Tls!.Validation);
        Assert.Equal("akka.ssl.tcp://alrs@seed:4053", settings.Seeds.Single().ToString());
    }

    [Fact]
    public async Task A_worker_without_seeds_is_rejected_before_it_starts()
    {
        var config = ClusterNodeConfig.Load(environment: NoEnvironment);

        var error = await Assert.ThrowsAsync<InputException>(() =>
            ClusterNode.StartAsync(ClusterSettings.FromConfig(config), config, [NodeRoles.Worker], isSeed: false, TextWriter.Null));

        Assert.Contains("ALRS_SEEDS", error.Message);
    }

    [Fact]
    public void ALRS_POSTGRES_switches_journal_and_snapshot_store_to_postgresql()
    {
        var config = ClusterNodeConfig.Load(environment: new Hashtable { ["ALRS_POSTGRES"] = "Host=db" });

        Assert.Equal("Host=db", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("Host=db", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.journal.sql.provider-name"));
    }
}
