using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.TestKit.Xunit2;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>
/// The learner and its supervised policy store with journal and snapshot faults injected by
/// Akka.Persistence.TestKit's test journal and snapshot store: the store backs off, the
/// learner keeps buffering and reports the store unavailable, and training resumes by itself
/// with strictly increasing, contiguous version numbers; nothing uncommitted is published.
/// </summary>
public sealed class PolicyStoreFaultSpecs : TestKit
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    readonly ActorSettings _settings;

    public PolicyStoreFaultSpecs() : this(TestRun.SmallSettings("""
        alrs.actors.learner.max-policy-lag = 5
        alrs.store.backoff-min = 50ms
        alrs.store.backoff-max = 200ms
        alrs.store.retry-interval = 100ms
        alrs.store.request-timeout = 2s
        """)) { }

    PolicyStoreFaultSpecs(ActorSettings settings) : base(ConfigurationFactory.ParseString("""
            akka.loglevel = ERROR
            # Faults open the plugins' circuit breakers; a short reset keeps the specs within their waits.
            akka.persistence.journal.test.circuit-breaker.reset-timeout = 500ms
            akka.persistence.snapshot-store.test.circuit-breaker.reset-timeout = 500ms
            """)
        .WithFallback(ConfigurationFactory.FromResource<TestJournal>("Akka.Persistence.TestKit.config.conf"))
        .WithFallback(TestRun.ShippedConfig()))
    {
        _settings = settings;
    }

    ITestJournal Journal => TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor(null));

    ITestSnapshotStore Snapshots => TestSnapshotStore.FromRef(Persistence.Instance.Apply(Sys).SnapshotStoreFor(null));

    (IActorRef Learner, IActorRef Store) StartLearner(string prefix = "", ActorSettings? settings = null)
    {
        settings ??= _settings;
        var store = Sys.ActorOf(PolicyStore.Supervised(settings), prefix + "policy-store");
        var learner = Sys.ActorOf(LearnerActor.Props(settings, () => TestRun.NewAgent(), store), prefix + "learner");
        return (learner, store);
    }

    LearnerStatus StatusOf(IActorRef learner)
    {
        var probe = CreateTestProbe();
        learner.Tell(GetLearnerStatus.Instance, probe);
        return probe.ExpectMsg<LearnerStatus>(Wait);
    }

    /// <summary>Every version the environment receives, in order, until <paramref name="last"/>.</summary>
    static List<long> VersionsUntil(Akka.TestKit.TestProbe environment, long last)
    {
        var versions = new List<long>();
        while (versions.LastOrDefault(-1) < last)
            versions.Add(environment.FishForMessage<PolicyVersion>(_ => true, Wait).Version);
        return versions;
    }

    [Fact]
    public async Task A_failing_journal_write_backs_off_keeps_the_buffer_and_training_resumes()
    {
        var availability = CreateTestProbe();
        Sys.EventStream.Subscribe(availability, typeof(PolicyStoreAvailability));
        var (learner, store) = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.Equal(0, environment.ExpectMsg<PolicyVersion>(Wait).Version);

        await Journal.OnWrite.Fail();
        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 0, 1, 0), environment);
        Assert.False(availability.ExpectMsg<PolicyStoreAvailability>(Wait).Available);
        learner.Tell(TestRun.Fragment("env-0", 0, 2, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 0, 3, 0), environment);
        var during = StatusOf(learner);
        Assert.Equal(LearnerStatus.StoreUnavailable, during.Store);
        Assert.Equal(8, during.BufferedDecisions);
        Assert.Equal(0, during.Version);

        await Journal.OnWrite.Pass();
        Assert.True(availability.ExpectMsg<PolicyStoreAvailability>(Wait).Available);
        Assert.Equal([1L, 2], VersionsUntil(environment, 2));
        store.Tell(GetStoredPolicies.Instance, TestActor);
        var stored = ExpectMsg<StoredPolicies>(Wait);
        Assert.Equal(2, stored.LastVersionNumber);
        Assert.Equal(2, stored.Latest!.Version);
        Assert.Equal(LearnerStatus.StoreAvailable, StatusOf(learner).Store);
    }

    [Fact]
    public async Task A_rejected_journal_write_is_retried_until_the_journal_takes_it()
    {
        var (learner, store) = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.Equal(0, environment.ExpectMsg<PolicyVersion>(Wait).Version);

        await Journal.OnWrite.Reject();
        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 0, 1, 0), environment);
        AwaitAssert(() => Assert.Equal(LearnerStatus.StoreUnavailable, StatusOf(learner).Store), Wait);

        await Journal.OnWrite.Pass();
        Assert.Equal([1L], VersionsUntil(environment, 1));
        store.Tell(GetStoredPolicies.Instance, TestActor);
        Assert.Equal(1, ExpectMsg<StoredPolicies>(Wait).LastVersionNumber);
    }

    [Fact]
    public async Task A_failing_recovery_is_retried_with_backoff_until_the_learner_can_start()
    {
        // A first learner commits version 0, so recovery has something to load: its weight
        // snapshot and its journal event (an empty store recovers without reading either).
        var (first, firstStore) = StartLearner("first-");
        var earlier = CreateTestProbe();
        first.Tell(new RegisterEnvironment("env-0"), earlier);
        Assert.Equal(0, earlier.ExpectMsg<PolicyVersion>(Wait).Version);
        foreach (var actor in new[] { first, firstStore })
        {
            Watch(actor);
            Sys.Stop(actor);
            ExpectTerminated(actor, Wait);
        }

        var availability = CreateTestProbe();
        Sys.EventStream.Subscribe(availability, typeof(PolicyStoreAvailability));
        await Journal.OnRecovery.Fail();
        await Snapshots.OnLoad.Fail();
        var (learner, _) = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.False(availability.ExpectMsg<PolicyStoreAvailability>(Wait).Available);
        Assert.Equal(-1, StatusOf(learner).Version);
        environment.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        await Journal.OnRecovery.Pass();
        await Snapshots.OnLoad.Pass();
        Assert.True(availability.ExpectMsg<PolicyStoreAvailability>(Wait).Available);
        // The recovered version 0, not a fresh one.
        var recovered = environment.FishForMessage<PolicyVersion>(_ => true, Wait);
        Assert.Equal(0, recovered.Version);
        Assert.Equal(0, StatusOf(learner).Version);
    }

    [Fact]
    public async Task A_version_whose_weights_could_not_be_saved_is_never_published_and_is_committed_again_under_the_next_number()
    {
        var (learner, store) = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.Equal(0, environment.ExpectMsg<PolicyVersion>(Wait).Version);

        await Snapshots.OnSave.Fail();
        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 0, 1, 0), environment);
        AwaitAssert(() => Assert.Equal(LearnerStatus.StoreUnavailable, StatusOf(learner).Store), Wait);

        await Snapshots.OnSave.Pass();
        var published = environment.FishForMessage<PolicyVersion>(_ => true, Wait);
        store.Tell(GetStoredPolicies.Instance, TestActor);
        var stored = ExpectMsg<StoredPolicies>(Wait);
        // Versions 1.. were journalled without weights; the first with weights is published, and it is the last number.
        Assert.True(published.Version >= 2, $"published {published.Version}");
        Assert.Equal(published.Version, stored.LastVersionNumber);
        Assert.Equal(published.Version, stored.Latest!.Version);
        Assert.Equal(published.Checksum, stored.Latest.Checksum);
    }

    [Fact]
    public async Task After_a_crash_between_the_event_and_the_snapshot_re_sent_fragments_are_trained_exactly_once()
    {
        var (learner, store) = StartLearner("first-");
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.Equal(0, environment.ExpectMsg<PolicyVersion>(Wait).Version);

        // Version 1's event is journalled with its watermark (env-0, 4, 1); its weights are not saved.
        await Snapshots.OnSave.Fail();
        learner.Tell(TestRun.Fragment("env-0", 4, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 4, 1, 0), environment);
        AwaitAssert(() => Assert.Equal(LearnerStatus.StoreUnavailable, StatusOf(learner).Store), Wait);
        foreach (var actor in new[] { learner, store })
        {
            Watch(actor);
            Sys.Stop(actor);
            ExpectTerminated(actor, Wait);
        }
        await Snapshots.OnSave.Pass();

        // The restarted learner has version 0's weights, so it must have version 0's watermarks too.
        (learner, store) = StartLearner("second-");
        store.Tell(GetStoredPolicies.Instance, TestActor);
        var recovered = ExpectMsg<StoredPolicies>(Wait);
        Assert.Equal(0, recovered.Latest!.Version);
        Assert.Empty(recovered.Watermarks ?? []);

        learner.Tell(TestRun.Fragment("env-0", 4, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 4, 1, 0), environment);
        var published = environment.FishForMessage<PolicyVersion>(p => p.Version > 0, Wait);
        var status = StatusOf(learner);
        Assert.Equal(0, status.Duplicates);
        Assert.Equal(8, status.DecisionsUsed);
        store.Tell(GetStoredPolicies.Instance, TestActor);
        var stored = ExpectMsg<StoredPolicies>(Wait);
        Assert.Equal(published.Version, stored.Latest!.Version);
        Assert.Equal([new EnvironmentWatermark("env-0", 4, 1)], stored.Watermarks);

        // Re-sent once more (the acknowledgements were lost): now they are duplicates.
        learner.Tell(TestRun.Fragment("env-0", 4, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 4, 1, 0), environment);
        AwaitAssert(() => Assert.Equal(2, StatusOf(learner).Duplicates), Wait);
        Assert.Equal(8, StatusOf(learner).DecisionsUsed);
    }

    [Fact]
    public async Task Giving_up_on_the_store_names_the_episodes_and_the_version_that_were_not_stored()
    {
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(PolicyPublished));
        Sys.EventStream.Subscribe(events, typeof(PolicyStoreGaveUp));
        var (learner, _) = StartLearner(settings: _settings with { StoreUnavailableTimeout = TimeSpan.FromSeconds(1) });
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.Equal(0, events.ExpectMsg<PolicyPublished>(Wait).Episodes);

        // One episode ends in version 1, which is stored: a run's count goes by stored versions.
        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 0, 1, 0, endsEpisode: true), environment);
        learner.Tell(new EpisodeSummary("env-0", 0, 0, -1, 8, 0.5, 1e-3, false), environment);
        var first = events.ExpectMsg<PolicyPublished>(Wait);
        Assert.Equal((1L, 1), (first.Version, first.Episodes));

        // Two more end while the journal fails until the learner gives up.
        await Journal.OnWrite.Fail();
        learner.Tell(TestRun.Fragment("env-0", 1, 0, 1, endsEpisode: true), environment);
        learner.Tell(new EpisodeSummary("env-0", 1, 1, -1, 4, 0.5, 1e-3, false), environment);
        learner.Tell(TestRun.Fragment("env-0", 2, 0, 1, endsEpisode: true), environment);
        learner.Tell(new EpisodeSummary("env-0", 2, 1, -1, 4, 0.5, 1e-3, false), environment);
        var gaveUp = events.ExpectMsg<PolicyStoreGaveUp>(Wait);
        Assert.Equal((2L, 2L, 1L), (gaveUp.EpisodesNotStored, gaveUp.VersionNotStored, gaveUp.LastStoredVersion));
        var message = new PolicyStoreUnavailableException("test store", gaveUp).Message;
        Assert.Contains("2 episodes played were not stored, nor version 2 (the last stored version is 1)", message);
        await Journal.OnWrite.Pass();
    }
}
