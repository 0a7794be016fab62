using Microsoft.Data.Sqlite;

namespace Alrs.Actors.Tests;

/// <summary>The policy store on the embedded SQLite file of a run directory (one node, `alrs train`).</summary>
public sealed class SqlitePolicyStoreSpecs : PolicyStoreSpecs
{
    public SqlitePolicyStoreSpecs() : this(TestRun.NewDirectory(), TestRun.SmallSettings("alrs.store.keep-last = 2")) { }

    SqlitePolicyStoreSpecs(string runDirectory, ActorSettings settings) : base(runDirectory, settings, TestRun.SystemConfig(runDirectory, settings)) { }


    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(RunDirectory);
    }

    protected override long[] SnapshotSequenceNumbersInDatabase()
    {
        using var connection = new SqliteConnection(Settings.ConnectionStringFor(RunDirectory));
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT sequence_number FROM snapshot WHERE persistence_id = $id ORDER BY sequence_number";
        query.Parameters.AddWithValue("$id", Settings.PersistenceId);
        using var reader = query.ExecuteReader();
        var numbers = new List<long>();
        while (reader.Read()) numbers.Add(reader.GetInt64(0));
        return [.. numbers];
    }
}
