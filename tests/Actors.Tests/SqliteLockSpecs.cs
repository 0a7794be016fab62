using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Messages;
using Microsoft.Data.Sqlite;

namespace Alrs.Actors.Tests;

/// <summary>
/// The embedded SQLite store's file held under an exclusive lock by another connection (a
/// database browser or a backup tool) while training runs: the learner reports the store
/// unavailable and keeps buffering, and once the lock is released it commits and publishes
/// again, with no gap in the journal.
/// </summary>
public sealed class SqliteLockSpecs : TestKit
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    readonly string _runDirectory;
    readonly ActorSettings _settings;

    public SqliteLockSpecs() : this(TestRun.NewDirectory(), TestRun.SmallSettings("""
        alrs.actors.learner.max-policy-lag = 5
        alrs.store.backoff-min = 100ms
        alrs.store.backoff-max = 1s
        alrs.store.retry-interval = 200ms
        alrs.store.request-timeout = 1s
        """)) { }

    SqliteLockSpecs(string runDirectory, ActorSettings settings) : base(TestRun.SystemConfig(runDirectory, settings))
    {
        _runDirectory = runDirectory;
        _settings = settings;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(_runDirectory);
    }

    LearnerStatus StatusOf(IActorRef learner)
    {
        var probe = CreateTestProbe();
        learner.Tell(GetLearnerStatus.Instance, probe);
        return probe.ExpectMsg<LearnerStatus>(Wait);
    }

    long[] JournalSequenceNumbers()
    {
        using var connection = new SqliteConnection(_settings.ConnectionStringFor(_runDirectory));
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT sequence_number FROM journal WHERE persistence_id = $id ORDER BY sequence_number";
        query.Parameters.AddWithValue("$id", _settings.PersistenceId);
        using var reader = query.ExecuteReader();
        var numbers = new List<long>();
        while (reader.Read()) numbers.Add(reader.GetInt64(0));
        return [.. numbers];
    }

    [Fact]
    public void Training_continues_after_another_connection_held_the_database_locked()
    {
        var store = Sys.ActorOf(PolicyStore.Supervised(_settings), "policy-store");
        var learner = Sys.ActorOf(LearnerActor.Props(_settings, () => TestRun.NewAgent(), store), "learner");
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.Equal(0, environment.ExpectMsg<PolicyVersion>(Wait).Version);

        using (var intruder = new SqliteConnection(_settings.ConnectionStringFor(_runDirectory)))
        {
            intruder.Open();
            using (var exclusive = intruder.CreateCommand())
            {
                exclusive.CommandText = "BEGIN EXCLUSIVE";
                exclusive.ExecuteNonQuery();
            }
            learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), environment);
            learner.Tell(TestRun.Fragment("env-0", 0, 1, 0), environment);
            AwaitAssert(() => Assert.Equal(LearnerStatus.StoreUnavailable, StatusOf(learner).Store), Wait);
            learner.Tell(TestRun.Fragment("env-0", 0, 2, 0), environment);
            learner.Tell(TestRun.Fragment("env-0", 0, 3, 0), environment);
            Assert.Equal(8, StatusOf(learner).BufferedDecisions);
            using var rollback = intruder.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        // Resumes by itself: the waiting version, then one from the fragments buffered meanwhile.
        var versions = new List<long>();
        while (versions.Count < 2) versions.Add(environment.FishForMessage<PolicyVersion>(_ => true, Wait).Version);
        Assert.True(versions[1] > versions[0], string.Join(", ", versions));
        AwaitAssert(() => Assert.Equal(LearnerStatus.StoreAvailable, StatusOf(learner).Store), Wait);

        store.Tell(GetStoredPolicies.Instance, TestActor);
        var stored = ExpectMsg<StoredPolicies>(Wait);
        Assert.Equal(versions[1], stored.Latest!.Version);
        var journal = JournalSequenceNumbers();
        Assert.Equal(Enumerable.Range(1, journal.Length).Select(n => (long)n), journal); // no gaps
        Assert.Equal(stored.LastVersionNumber + 1, journal.Length); // one event per version number, from 0
    }
}
