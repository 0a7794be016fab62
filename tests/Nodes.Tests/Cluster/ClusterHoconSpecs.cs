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
    public void Cluster_downs_with_keep_oldest_on_the_learner_role()
    {
        var config = File(ClusterNodeConfig.ClusterFile);

        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal("keep-oldest", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(NodeRoles.Learner, config.GetString("akka.cluster.split-brain-resolver.keep-oldest.role"));
        Assert.False(config.GetBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
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
    public void Postgres_file_selects_the_sql_plugins_with_the_postgresql_15_provider_and_no_connection_string()
    {
        var config = File("persistence-postgres.hocon");

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.Equal("", config.GetString("akka.persistence.journal.sql.connection-string"));
    }
}
