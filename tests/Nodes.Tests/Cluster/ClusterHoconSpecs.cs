using Akka.Configuration;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Hosting;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>The keys the cluster bootstrap and Akka read from hocon/cluster.hocon, tls.hocon and persistence-postgres.hocon.</summary>
public sealed class ClusterHoconSpecs
{
    static Config File(string name) =>
        ConfigurationFactory.ParseString(System.IO.File.ReadAllText(Path.Combine(AlrsConfig.HoconDirectory, name)));

    [Fact]
    public void Cluster_downs_with_keep_majority_counting_every_member()
    {
        var config = File(ClusterNodeConfig.ClusterFile);

        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("", config.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
        Assert.Equal(config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"), config.GetTimeSpan("akka.cluster.down-removal-margin"));
    }

    [Fact]
    public void Tls_file_enables_ssl_with_mutual_authentication_and_never_suppresses_validation()
    {
        var config = File(ClusterNodeConfig.TlsFile);

        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.require-mutual-authentication"));
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.suppress-validation"));
        Assert.Equal("", config.GetString("alrs.cluster.tls.certificate-password"));
    }

    [Fact]
    public void Postgres_file_sets_the_store_provider_to_postgresql_15_and_no_connection_string()
    {
        var config = File("persistence-postgres.hocon");

        Assert.Equal("PostgreSQL.15", config.GetString("alrs.store.provider-name"));
        Assert.False(config.HasPath("alrs.store.connection-string"));
        Assert.False(config.HasPath("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("postgresql", config.GetString("akka.persistence.journal.sql.table-mapping"));
    }

    [Fact]
    public void Every_message_that_crosses_nodes_is_bound_to_the_alrs_serializer()
    {
        using var system = Akka.Actor.ActorSystem.Create("bindings",
            ConfigurationFactory.ParseString("akka.actor.provider = local").WithFallback(File(ClusterNodeConfig.ClusterFile)));
        var messages = typeof(Alrs.Messages.TrajectoryFragment).Assembly.GetTypes()
            .Where(t => t.Namespace == "Alrs.Messages" && t.IsPublic && t.IsSealed && !t.IsAbstract)
            // Local only: the learner and its store share a node; events stay on their node's event stream.
            .Where(t => t.Name is not ("DecisionRecord" or "CommitPolicy" or "PolicyCommitted" or "PolicyCommitFailed"
                or "GetStoredPolicies" or "StoredPolicies" or "PolicyPublished" or "DecisionTaken" or "PolicyAdopted"
                or "PolicyStoreRestarting" or "PolicyStoreAvailability" or "PolicyStoreGaveUp"
                // Population-based training: between the population actor and its learners, its children.
                or "GetPolicySnapshot" or "PolicySnapshot" or "ExploitFrom" or "Exploited" or "ExploitRefused"
                // Parts of the store's records, persisted by the store's own serializer (an exploit
                // also goes onto its node's event stream).
                or "EnvironmentWatermark" or "VersionScore" or "PopulationExploit"))
            .ToArray();

        Assert.NotEmpty(messages);
        foreach (var type in messages)
            Assert.True(system.Serialization.FindSerializerForType(type) is Alrs.Actors.Serialization.AlrsMessageSerializer,
                $"{type.Name} is not bound to AlrsMessageSerializer in hocon/cluster.hocon");
    }

    [Fact]
    public void Actors_file_defines_the_worker_keys_the_worker_role_reads()
    {
        var config = File("actors.hocon");

        Assert.Equal(2, config.GetInt("alrs.worker.environments"));
        Assert.Equal(TimeSpan.FromSeconds(60), config.GetTimeSpan("alrs.worker.learner-timeout"));
    }
}
