using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>
/// Exactly once across a learner restart, on the real SQLite store: fragments whose
/// acknowledgement was lost are re-sent to the new learner, which recognises them by the
/// watermark persisted with the last committed version.
/// </summary>
public sealed class LearnerRestartSpecs : TestKit
{
    readonly string _runDirectory;
    readonly ActorSettings _settings;
    int _incarnation;

    public LearnerRestartSpecs() : this(TestRun.NewDirectory(), TestRun.SmallSettings("alrs.actors.learner.max-policy-lag = 5")) { }

    LearnerRestartSpecs(string runDirectory, ActorSettings settings) : base(TestRun.SystemConfig(runDirectory, settings))
    {
        _runDirectory = runDirectory;
        _settings = settings;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(_runDirectory);
    }

    (IActorRef Learner, IActorRef Store) StartLearner()
    {
        _incarnation++;
        var store = Sys.ActorOf(PolicyStore.Supervised(_settings), $"policy-store-{_incarnation}");
        var learner = Sys.ActorOf(LearnerActor.Props(_settings, () => TestRun.NewAgent(), store), $"learner-{_incarnation}");
        return (learner, store);
    }

    void Stop(params IActorRef[] actors)
    {
        foreach (var actor in actors)
        {
            Watch(actor);
            Sys.Stop(actor);
            ExpectTerminated(actor, TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void Fragments_re_sent_to_a_restarted_learner_are_not_used_twice()
    {
        var (learner, store) = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));

        // Sequences 0 and 1 make version 1; sequence 2 is buffered when the learner dies.
        TrajectoryFragment[] sent = [TestRun.Fragment("env-0", 4, 0, 0), TestRun.Fragment("env-0", 4, 1, 0), TestRun.Fragment("env-0", 4, 2, 0)];
        foreach (var fragment in sent) learner.Tell(fragment, environment);
        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(_ => true, TimeSpan.FromSeconds(30)).Version);
        Assert.Equal(4, StatusOf(learner).BufferedDecisions);
        Stop(learner, store);

        // The acknowledgements were lost: the environment re-sends everything to the new learner.
        (learner, store) = StartLearner();
        store.Tell(GetStoredPolicies.Instance, TestActor);
        var stored = ExpectMsg<StoredPolicies>(TimeSpan.FromSeconds(30));
        Assert.Equal([new EnvironmentWatermark("env-0", 4, 1)], stored.Watermarks);

        // The environment outlived the learner: it does not register again, its re-sent fragments register it.
        foreach (var fragment in sent) learner.Tell(fragment, environment);
        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(_ => true, TimeSpan.FromSeconds(30)).Version);
        var status = StatusOf(learner);
        Assert.Equal(2, status.Duplicates);
        Assert.Equal(4, status.BufferedDecisions);
        Assert.Equal(0, status.DecisionsUsed);
        // The two already in version 1 are acknowledged at once; sequence 2 waits for its version.
        var acks = new[] { environment.FishForMessage<FragmentAck>(_ => true), environment.FishForMessage<FragmentAck>(_ => true) };
        Assert.Equal([0, 1], acks.Select(a => a.Sequence).Order());

        learner.Tell(TestRun.Fragment("env-0", 4, 3, 1, endsEpisode: true), environment);
        Assert.Equal(2, environment.FishForMessage<PolicyVersion>(p => p.Version == 2, TimeSpan.FromSeconds(30)).Version);
        Assert.Equal(8, StatusOf(learner).DecisionsUsed);
        store.Tell(GetStoredPolicies.Instance, TestActor);
        Assert.Equal([new EnvironmentWatermark("env-0", 4, 3)], FishForMessage<StoredPolicies>(_ => true).Watermarks);
    }

    [Fact]
    public void An_environment_first_seen_after_a_restart_gets_its_episode_start_trained_not_skipped()
    {
        var (learner, store) = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-1"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        // Sequence 0 is consumed, never committed, when the learner dies: the store has never heard of env-1.
        learner.Tell(TestRun.Fragment("env-1", 9, 0, 0), environment);
        Assert.Equal(4, StatusOf(learner).BufferedDecisions);
        Stop(learner, store);

        // The environment's next fragment reaches the new learner before its re-sent sequence 0:
        // taken now, it would make the re-sent 0 a "duplicate" that no version ever trained on.
        (learner, store) = StartLearner();
        learner.Tell(TestRun.Fragment("env-1", 9, 1, 0), environment);
        environment.FishForMessage<FragmentGap>(g => g.Sequence == 1, TimeSpan.FromSeconds(30));
        learner.Tell(TestRun.Fragment("env-1", 9, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-1", 9, 1, 0), environment);

        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(p => p.Version == 1, TimeSpan.FromSeconds(30)).Version);
        var status = StatusOf(learner);
        Assert.Equal(0, status.Duplicates);
        Assert.Equal(1, status.Refused);
        Assert.Equal(8, status.DecisionsUsed);
    }

    LearnerStatus StatusOf(IActorRef learner)
    {
        learner.Tell(GetLearnerStatus.Instance, TestActor);
        return FishForMessage<LearnerStatus>(_ => true, TimeSpan.FromSeconds(30));
    }
}
