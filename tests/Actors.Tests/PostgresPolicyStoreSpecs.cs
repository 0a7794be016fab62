using Akka.Configuration;
using Alrs.Tests.Shared;
using Npgsql;

namespace Alrs.Actors.Tests;

/// <summary>
/// The policy store on the PostgreSQL database a cluster shares (hocon/persistence-postgres.hocon),
/// named by ALRS_TEST_POSTGRES (.ci/postgres starts one and writes it). Every instance uses a
/// fresh persistence id, so reruns against the same database do not collide. Without the
/// variable the specs are reported as skipped, and FAIL when CI=true (<see cref="TestPostgres"/>).
/// </summary>
public sealed class PostgresPolicyStoreSpecs : PolicyStoreSpecs
{
    public PostgresPolicyStoreSpecs() : this(TestRun.NewDirectory(), StoreSettings(TestPostgres.Find() ?? "")) { }

    PostgresPolicyStoreSpecs(string runDirectory, ActorSettings settings) : base(runDirectory, settings, SystemConfig(runDirectory, settings)) { }

    protected override void RequireBackend() => TestPostgres.Require();

    static ActorSettings StoreSettings(string connectionString) =>
        ActorSettings.FromConfig(PostgresFile().WithFallback(TestRun.ShippedConfig($"""
            alrs.store.keep-last = 2
            alrs.store.persistence-id = "policy-store-spec-{Guid.NewGuid():N}"
            alrs.store.connection-string = "{connectionString.Replace("\\", "\\\\").Replace("\"", "\\\"")}"
            """)));

    static Config PostgresFile() =>
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(TestRun.HoconDirectory, "persistence-postgres.hocon")));

    static Config SystemConfig(string runDirectory, ActorSettings settings) =>
        TrainingSystem.ForRun(PostgresFile().WithFallback(TestRun.ShippedConfig("akka.loglevel = WARNING")), settings, runDirectory);

    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(RunDirectory);
    }

    protected override long[] SnapshotSequenceNumbersInDatabase()
    {
        using var connection = new NpgsqlConnection(Settings.StoreConnectionString);
        connection.Open();
        using var query = new NpgsqlCommand("SELECT sequence_nr FROM public.snapshot_store WHERE persistence_id = @id ORDER BY sequence_nr", connection);
        query.Parameters.AddWithValue("id", Settings.PersistenceId);
        using var reader = query.ExecuteReader();
        var numbers = new List<long>();
        while (reader.Read()) numbers.Add(reader.GetInt64(0));
        return [.. numbers];
    }
}
