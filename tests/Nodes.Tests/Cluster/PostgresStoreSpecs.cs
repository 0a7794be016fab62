using System.Collections;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Hosting;
using Alrs.Tests.Shared;
using Npgsql;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// A node's store with ALRS_POSTGRES (hocon/persistence-postgres.hocon) against a real PostgreSQL server named by
/// ALRS_TEST_POSTGRES (.ci/postgres starts one and writes it). Without it these tests are
/// reported as skipped, and FAIL when CI=true (<see cref="TestPostgres"/>).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresStoreSpecs
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [SkippableFact]
    public async Task Test_database_answers_over_tcp_with_the_generated_password()
    {
        var connectionString = TestPostgres.Require();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version()", connection);
        var version = (string?)await command.ExecuteScalarAsync();

        Assert.StartsWith("PostgreSQL", version);
    }

    [SkippableFact]
    public async Task Persistent_actor_recovers_its_events_from_postgresql()
    {
        var connectionString = TestPostgres.Require();
        // A node's own configuration with ALRS_POSTGRES set, without joining a cluster.
        var config = ConfigurationFactory.ParseString("akka.actor.provider = local")
            .WithFallback(ClusterNodeConfig.Load(environment: new Hashtable { ["ALRS_POSTGRES"] = connectionString }));
        var persistenceId = $"tally-{Guid.NewGuid():N}";

        using var system = ActorSystem.Create("postgres-spec", config);
        try
        {
            var first = system.ActorOf(Tally.Props(persistenceId));
            foreach (var amount in new[] { 2, 3, 5 })
                await first.Ask<Tally.Total>(new Tally.Add(amount), Timeout);
            Assert.True(await first.GracefulStop(Timeout));

            var recovered = system.ActorOf(Tally.Props(persistenceId));
            var total = await recovered.Ask<Tally.Total>(Tally.Get.Instance, Timeout);

            Assert.Equal(new Tally.Total(10, 3), total);
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>A minimal event-sourced actor: sums the amounts it persisted.</summary>
    sealed class Tally : ReceivePersistentActor
    {
        public sealed record Add(int Amount);
        public sealed record Added(int Amount);
        public sealed record Get { public static readonly Get Instance = new(); }
        public sealed record Total(int Sum, int Events);

        int _sum, _events;

        public Tally(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<Added>(Apply);
            Command<Add>(add => Persist(new Added(add.Amount), added =>
            {
                Apply(added);
                Sender.Tell(new Total(_sum, _events));
            }));
            Command<Get>(_ => Sender.Tell(new Total(_sum, _events)));
        }

        public override string PersistenceId { get; }

        public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new Tally(persistenceId));

        void Apply(Added added)
        {
            _sum += added.Amount;
            _events++;
        }
    }
}
