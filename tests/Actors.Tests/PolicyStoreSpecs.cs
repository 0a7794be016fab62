using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>
/// The policy store's behaviour, run against each backend it supports
/// (<see cref="SqlitePolicyStoreSpecs"/>, <see cref="PostgresPolicyStoreSpecs"/>).
/// </summary>
public abstract class PolicyStoreSpecs : TestKit
{
    readonly string _runDirectory;
    readonly ActorSettings _settings;
    readonly Config _config;

    protected PolicyStoreSpecs(string runDirectory, ActorSettings settings, Config config) : base(config)
    {
        _runDirectory = runDirectory;
        _settings = settings;
        _config = config;
    }

    protected ActorSettings Settings => _settings;
    protected string RunDirectory => _runDirectory;

    /// <summary>Skips the spec (<see cref="SkipException"/>) when the backend is not configured on this machine.</summary>
    protected virtual void RequireBackend() { }

    /// <summary>The sequence numbers of the store's snapshot rows, read from the database itself.</summary>
    protected abstract long[] SnapshotSequenceNumbersInDatabase();

    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(_runDirectory);
    }

    static PolicyVersion Policy(long version)
    {
        var blob = new byte[4096];
        new Random((int)version).NextBytes(blob);
        return new PolicyVersion(version, blob, PolicyChecksum.Of(blob));
    }

    static readonly Dictionary<string, double> NoMetrics = [];

    /// <summary>Commits versions 0..3 with validation losses 0.5, 0.2 (the best), 0.9, 0.7.</summary>
    void CommitFourVersions(ActorSystem system)
    {
        var probe = CreateTestProbe(system);
        var store = system.ActorOf(PolicyStore.Props(_settings), "policy-store");
        double[] losses = [0.5, 0.2, 0.9, 0.7];
        for (var version = 0; version < losses.Length; version++)
        {
            store.Tell(new CommitPolicy(Policy(version), losses[version], NoMetrics), probe);
            probe.ExpectMsg(new PolicyCommitted(version), TimeSpan.FromSeconds(10));
        }
    }

    StoredPolicies StoredIn(ActorSystem system)
    {
        var probe = CreateTestProbe(system);
        var store = system.ActorOf(PolicyStore.Props(_settings), "policy-store-reader");
        store.Tell(GetStoredPolicies.Instance, probe);
        return probe.ExpectMsg<StoredPolicies>(TimeSpan.FromSeconds(10));
    }

    [SkippableFact]
    public async Task Latest_and_best_versions_come_back_bit_exact_after_the_actor_system_restarts()
    {
        RequireBackend();
        var config = _config;
        var first = ActorSystem.Create("first", config);
        CommitFourVersions(first);
        await first.Terminate();

        var second = ActorSystem.Create("second", config);
        try
        {
            var stored = StoredIn(second);
            Assert.NotNull(stored.Latest);
            Assert.Equal(3, stored.Latest.Version);
            Assert.Equal(Policy(3).Blob, stored.Latest.Blob);
            Assert.Equal(Policy(3).Checksum, stored.Latest.Checksum);
            Assert.Equal(3, stored.LastVersionNumber);
            Assert.NotNull(stored.Best);
            Assert.Equal(1, stored.Best.Version);
            Assert.Equal(Policy(1).Blob, stored.Best.Blob);
            Assert.Equal(0.2, stored.BestValidationLoss);
        }
        finally
        {
            await second.Terminate();
        }
    }

    [SkippableFact]
    public void Keeps_the_weights_of_the_last_versions_plus_the_best()
    {
        RequireBackend();
        CommitFourVersions(Sys);
        AwaitAssert(() => Assert.Equal([1L, 2, 3], StoredIn(Sys).KeptVersions.Order()), TimeSpan.FromSeconds(5));
        // Sequence numbers 1..4 hold versions 0..3: the snapshot of version 0 is deleted from the database.
        AwaitAssert(() => Assert.Equal([2L, 3, 4], SnapshotSequenceNumbersInDatabase()), TimeSpan.FromSeconds(5));
    }

    [SkippableFact]
    public void Rejects_a_version_that_is_not_after_the_last_committed_one()
    {
        RequireBackend();
        CommitFourVersions(Sys);
        var store = Sys.ActorOf(PolicyStore.Props(_settings), "second-writer");
        store.Tell(new CommitPolicy(Policy(2), 0.1, NoMetrics), TestActor);
        Assert.Contains("not after", ExpectMsg<PolicyCommitFailed>(TimeSpan.FromSeconds(10)).Reason);
    }

    [SkippableFact]
    public void Rejects_a_policy_whose_checksum_does_not_match_its_blob()
    {
        RequireBackend();
        var store = Sys.ActorOf(PolicyStore.Props(_settings));
        var policy = Policy(0) with { Checksum = Policy(1).Checksum };
        store.Tell(new CommitPolicy(policy, 0.1, NoMetrics), TestActor);
        Assert.Contains("checksum", ExpectMsg<PolicyCommitFailed>(TimeSpan.FromSeconds(10)).Reason);
    }
}
