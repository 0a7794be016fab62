using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

public sealed class LearnerActorSpecs : TestKit
{
    readonly string _runDirectory;
    readonly ActorSettings _settings;

    public LearnerActorSpecs() : this(TestRun.NewDirectory(), TestRun.SmallSettings("alrs.actors.learner.max-policy-lag = 0")) { }

    LearnerActorSpecs(string runDirectory, ActorSettings settings) : base(TestRun.SystemConfig(runDirectory, settings))
    {
        _runDirectory = runDirectory;
        _settings = settings;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(_runDirectory);
    }

    IActorRef StartLearner() => StartLearner(_settings);

    IActorRef StartLearner(ActorSettings settings)
    {
        var store = Sys.ActorOf(PolicyStore.Supervised(settings), "policy-store");
        return Sys.ActorOf(LearnerActor.Props(settings, () => TestRun.NewAgent(), store), "learner");
    }

    LearnerStatus StatusOf(IActorRef learner)
    {
        learner.Tell(GetLearnerStatus.Instance, TestActor);
        return ExpectMsg<LearnerStatus>();
    }

    [Fact]
    public void Publishes_each_new_version_to_every_registered_environment()
    {
        var learner = StartLearner();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), first);
        learner.Tell(new RegisterEnvironment("env-1"), second);
        Assert.Equal(0, first.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30)).Version);
        Assert.Equal(0, second.ExpectMsg<PolicyVersion>().Version);

        // 8 decisions per update: two fragments of 4 from one environment, then from the other.
        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), first);
        learner.Tell(TestRun.Fragment("env-0", 0, 1, 0), first);
        Assert.Equal(1, first.FishForMessage<PolicyVersion>(_ => true).Version);
        Assert.Equal(1, second.ExpectMsg<PolicyVersion>().Version);

        learner.Tell(TestRun.Fragment("env-1", 0, 0, 1), second);
        learner.Tell(TestRun.Fragment("env-1", 0, 1, 1, endsEpisode: true), second);
        Assert.Equal(2, second.FishForMessage<PolicyVersion>(_ => true).Version);
        Assert.Equal(2, first.FishForMessage<PolicyVersion>(_ => true).Version);

        var status = StatusOf(learner);
        Assert.Equal(2, status.Version);
        Assert.Equal(2, status.Updates);
        Assert.Equal(16, status.DecisionsUsed);
        Assert.Equal(2, status.EnvironmentsConnected);
    }

    [Fact]
    public void Counts_a_duplicate_fragment_does_not_use_it_and_acknowledges_the_fragment_once_its_version_is_committed()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));

        var fragment = TestRun.Fragment("env-0", 7, 0, 0);
        learner.Tell(fragment, environment);
        learner.Tell(fragment, environment);
        var status = StatusOf(learner);
        Assert.Equal(2, status.FragmentsReceived);
        Assert.Equal(1, status.Duplicates);
        Assert.Equal(4, status.BufferedDecisions);
        Assert.Equal(0, status.Updates);
        environment.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // nothing is acknowledged before it is durable

        learner.Tell(TestRun.Fragment("env-0", 7, 1, 0), environment);
        environment.ExpectMsg(new FragmentAck("env-0", 7, 0), TimeSpan.FromSeconds(30));
        environment.ExpectMsg(new FragmentAck("env-0", 7, 1));
        Assert.Equal(1, environment.ExpectMsg<PolicyVersion>().Version);
        Assert.Equal(8, StatusOf(learner).DecisionsUsed);
    }

    [Fact]
    public void A_new_environment_actor_under_an_old_id_starts_its_episode_numbering_afresh()
    {
        var learner = StartLearner();
        var first = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), first);
        first.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        learner.Tell(TestRun.Fragment("env-0", 5, 0, 0), first);
        learner.Tell(TestRun.Fragment("env-0", 5, 1, 0), first);

        // A resumed `alrs train` process: env-0 again, numbering its episodes from 1.
        var second = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), second);
        learner.Tell(TestRun.Fragment("env-0", 1, 0, 0), second);

        var status = StatusOf(learner);
        Assert.Equal(0, status.Duplicates);
        Assert.Equal(0, status.Refused);
        Assert.Equal(12, status.BufferedDecisions + status.DecisionsUsed);
    }

    [Fact]
    public void Refuses_a_fragment_that_skips_one_and_takes_it_once_the_gap_is_filled()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));

        learner.Tell(TestRun.Fragment("env-0", 2, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 2, 2, 0), environment); // sequence 1 lost on the way
        // The environment is asked to re-send now rather than after its ack-timeout.
        environment.FishForMessage<FragmentGap>(g => g == new FragmentGap("env-0", 2, 2), TimeSpan.FromSeconds(10));
        Assert.Equal(1, StatusOf(learner).Refused);

        learner.Tell(TestRun.Fragment("env-0", 2, 1, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 2, 2, 0), environment); // re-sent in order
        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(_ => true, TimeSpan.FromSeconds(30)).Version);
        var status = StatusOf(learner);
        Assert.Equal(1, status.Refused);
        Assert.Equal(8, status.DecisionsUsed);
        Assert.Equal(4, status.BufferedDecisions);
    }

    [Fact]
    public void Under_many_environment_ids_committed_fragments_are_never_trained_twice()
    {
        var learner = StartLearner(_settings with { WatermarkEnvironments = 16, MaxPolicyLag = 1000 });
        var environments = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environments);
        environments.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        var first = Enumerable.Range(0, 16).Select(i => TestRun.Fragment($"env-{i}", 0, 0, 0, endsEpisode: true)).ToArray();
        foreach (var fragment in first) learner.Tell(fragment, environments);
        var acknowledged = new HashSet<string>();
        while (acknowledged.Count < 16) acknowledged.Add(environments.FishForMessage<FragmentAck>(_ => true, TimeSpan.FromSeconds(30)).EnvironmentId);

        // Twenty more ids while the sixteen may still re-send (heard of within 3 × ack-timeout):
        // none is forgotten, so the newcomers wait (refused, re-sent later).
        foreach (var i in Enumerable.Range(16, 20)) learner.Tell(TestRun.Fragment($"env-{i}", 0, 0, 0, endsEpisode: true), environments);
        foreach (var fragment in first) learner.Tell(fragment, environments);
        AwaitAssert(() => Assert.Equal(16, StatusOf(learner).Duplicates), TimeSpan.FromSeconds(10));
        var status = StatusOf(learner);
        Assert.Equal(20, status.Refused);
        Assert.Equal(64, status.DecisionsUsed + status.BufferedDecisions);
    }

        public static TheoryData<string, TrajectoryFragment> MalformedFragments => new()
    {
        { "observation of 2 values", TestRun.Fragment("env-0", 1, 0, 0) with { Decisions = [new DecisionRecord([0f, 1f], [0f], -1f, 0f, 0f, false)] } },
        { "non-finite reward", TestRun.Fragment("env-0", 1, 0, 0) with { Decisions = [new DecisionRecord([0f, 1f, 2f], [0f], -1f, 0f, float.NaN, false)] } },
        { "infinite observation", TestRun.Fragment("env-0", 1, 0, 0) with { Decisions = [new DecisionRecord([0f, float.PositiveInfinity, 2f], [0f], -1f, 0f, 0f, false)] } },
        { "unknown action", TestRun.Fragment("env-0", 1, 0, 0) with { Decisions = [new DecisionRecord([0f, 1f, 2f], [5f], -1f, 0f, 0f, false)] } },
        { "version from the future", TestRun.Fragment("env-0", 1, 0, policyVersion: 9) },
    };

    [Theory]
    [MemberData(nameof(MalformedFragments))]
    public void Counts_a_malformed_fragment_and_never_passes_it_to_the_update(string what, TrajectoryFragment malformed)
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));

        learner.Tell(malformed, environment);
        learner.Tell(TestRun.Fragment("env-0", 1, 1, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 1, 2, 0), environment);

        // The update ran on the two good fragments only (it would throw on the bad one).
        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(_ => true, TimeSpan.FromSeconds(30)).Version);
        var status = StatusOf(learner);
        Assert.True(status.Malformed == 1, what);
        Assert.Equal(8, status.DecisionsUsed);
        Assert.Equal(1, status.Updates);
    }

    [Fact]
    public void Episodes_score_the_version_that_played_them_for_best()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 0, 1, 0), environment);
        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(_ => true).Version);

        // Version 0 played a poor episode, version 1 a good one; both end while version 2 is being made.
        learner.Tell(new EpisodeSummary("env-0", 0, 0, -1, 8, 0.9, 1e-3, false), environment);
        learner.Tell(new EpisodeSummary("env-0", 1, 1, -1, 8, 0.3, 1e-3, false), environment);
        learner.Tell(TestRun.Fragment("env-0", 1, 0, 1), environment);
        learner.Tell(TestRun.Fragment("env-0", 1, 1, 1), environment);
        Assert.Equal(2, environment.FishForMessage<PolicyVersion>(_ => true).Version);

        Sys.ActorSelection("/user/policy-store").Tell(GetStoredPolicies.Instance, TestActor);
        var stored = ExpectMsg<StoredPolicies>();
        Assert.Equal(1, stored.Best!.Version);
        Assert.Equal(0.3, stored.BestValidationLoss, 6);
    }

    [Fact]
    public void Drops_fragments_older_than_the_max_policy_lag_and_counts_them()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 0, 1, 0), environment);
        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(_ => true).Version);

        // max-policy-lag 0: version 0 is now too old.
        learner.Tell(TestRun.Fragment("env-0", 0, 2, 0), environment);

        var status = StatusOf(learner);
        Assert.Equal(1, status.DroppedStale);
        Assert.Equal(0, status.BufferedDecisions);
        Assert.Equal(8, status.DecisionsUsed);
    }

    [Fact]
    public void Discards_the_fragments_of_an_episode_whose_environment_failed()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));

        learner.Tell(TestRun.Fragment("env-0", 3, 0, 0), environment);
        // From the environment's parent, as its rollout supervisor sends it.
        learner.Tell(new EnvironmentFailed("env-0", 3, "boom"), ((ExtendedActorSystem)Sys).SystemGuardian);
        learner.Tell(TestRun.Fragment("env-0", 3, 1, 0), environment);
        learner.Tell(TestRun.Fragment("env-0", 4, 0, 0), environment);

        var status = StatusOf(learner);
        Assert.Equal(2, status.Discarded);
        Assert.Equal(4, status.BufferedDecisions);
        Assert.Equal(0, status.Updates);
    }

    [Fact]
    public void Forged_environment_failures_and_node_losses_from_elsewhere_change_nothing()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        learner.Tell(TestRun.Fragment("env-0", 3, 0, 0), environment);

        EventFilter.Warning(contains: "ignoring EnvironmentFailed").Expect(1, () =>
        {
            learner.Tell(new EnvironmentFailed("env-0", 3, "forged"), TestActor);
            learner.Tell(new EnvironmentFailed("env-0", 3, "forged again"), TestActor);
            StatusOf(learner);
        });
        EventFilter.Warning(contains: "ignoring WorkerNodeLost").Expect(1, () =>
        {
            learner.Tell(new WorkerNodeLost(environment.Ref.Path.Address.ToString(), "forged"), TestActor);
            learner.Tell(new WorkerNodeLost(environment.Ref.Path.Address.ToString(), "forged again"), TestActor);
            StatusOf(learner);
        });

        learner.Tell(TestRun.Fragment("env-0", 3, 1, 0), environment);
        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(_ => true, TimeSpan.FromSeconds(30)).Version);
        var status = StatusOf(learner);
        Assert.Equal((0L, 0, 1, 8L), (status.Discarded, status.LostNodes, status.EnvironmentsConnected, status.DecisionsUsed));
    }

    [Fact]
    public void An_environment_it_does_not_know_is_registered_by_its_first_fragment()
    {
        // As after a learner restart: the environment keeps sampling without registering again.
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), environment);
        Assert.Equal(0, environment.FishForMessage<PolicyVersion>(_ => true, TimeSpan.FromSeconds(30)).Version);
        Assert.Equal(1, StatusOf(learner).EnvironmentsConnected);
    }

    [Fact]
    public void Forgets_an_environment_that_terminated()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        Assert.Equal(1, StatusOf(learner).EnvironmentsConnected);

        Sys.Stop(environment.Ref);
        AwaitAssert(() => Assert.Equal(0, StatusOf(learner).EnvironmentsConnected), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Discards_the_unfinished_episode_of_an_environment_that_stopped_including_its_late_fragments()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        learner.Tell(TestRun.Fragment("env-0", 5, 0, 0), environment);

        Sys.Stop(environment.Ref);
        AwaitAssert(() => Assert.Equal(0, StatusOf(learner).EnvironmentsConnected), TimeSpan.FromSeconds(5));
        // Still in flight when it stopped: it arrives from the stopped environment's reference.
        learner.Tell(TestRun.Fragment("env-0", 5, 1, 0), environment.Ref);

        AwaitAssert(() =>
        {
            var status = StatusOf(learner);
            Assert.Equal(2, status.Discarded);
            Assert.Equal(0, status.BufferedDecisions);
            Assert.Equal(0, status.Duplicates);
            Assert.Equal(0, status.EnvironmentsConnected);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_lost_worker_node_is_counted_once_and_its_environments_and_open_episodes_are_dropped()
    {
        var learner = StartLearner();
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("node-a/env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(30));
        learner.Tell(TestRun.Fragment("node-a/env-0", 1, 0, 0), environment);

        var address = environment.Ref.Path.Address.ToString();
        // From the learner's parent, as the cluster's learner host sends it.
        learner.Tell(new WorkerNodeLost(address, "unreachable"), ((ExtendedActorSystem)Sys).Guardian);
        learner.Tell(new WorkerNodeLost(address, "removed"), ((ExtendedActorSystem)Sys).Guardian);

        var status = StatusOf(learner);
        Assert.Equal(1, status.LostNodes);
        Assert.Equal(0, status.EnvironmentsConnected);
        Assert.Equal(1, status.Discarded);
        Assert.Equal(0, status.BufferedDecisions);
    }
    [Fact]
    public void Publishes_once_to_a_nodes_relay_and_not_to_the_environments_of_that_node()
    {
        var learner = StartLearner();
        // Probes share this system's address, as a relay shares its node with its environments.
        var relay = CreateTestProbe();
        var (first, second) = (CreateTestProbe(), CreateTestProbe());
        learner.Tell(new RegisterPolicyRelay(-1), relay);
        Assert.Equal(0, relay.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(10)).Version);
        learner.Tell(new RegisterEnvironment("env-0"), first);
        learner.Tell(new RegisterEnvironment("env-1"), second);

        learner.Tell(TestRun.Fragment("env-0", 0, 0, 0), first);
        learner.Tell(TestRun.Fragment("env-1", 0, 0, 0), second);
        Assert.Equal(1, relay.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(10)).Version);
        relay.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        first.ExpectMsg<FragmentAck>();
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        second.ExpectMsg<FragmentAck>();
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, StatusOf(learner).EnvironmentsConnected);
    }

    [Fact]
    public void A_relay_registering_again_gets_the_published_version_only_when_it_lacks_it()
    {
        var learner = StartLearner();
        var relay = CreateTestProbe();
        learner.Tell(new RegisterPolicyRelay(-1), relay);
        Assert.Equal(0, relay.ExpectMsg<PolicyVersion>(TimeSpan.FromSeconds(10)).Version);

        // A refresh from a relay holding the published version: nothing to send.
        learner.Tell(new RegisterPolicyRelay(0), relay);
        relay.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // A relay the learner does not know (it restarted, or moved) that holds an older version.
        var other = CreateTestProbe();
        learner.Tell(new RegisterPolicyRelay(-1), other);
        Assert.Equal(0, other.ExpectMsg<PolicyVersion>().Version);
    }
}
