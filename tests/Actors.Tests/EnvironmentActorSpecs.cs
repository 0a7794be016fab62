using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

public sealed class EnvironmentActorSpecs : TestKit
{
    public EnvironmentActorSpecs() : base(TestRun.ShippedConfig("akka.loglevel = WARNING")) { }

    IActorRef StartEnvironment(ActorSettings settings, int decisionsPerEpisode = 6) =>
        Sys.ActorOf(EnvironmentActor.Props("env-0", 0, 0, settings,
            _ => new NoisyQuadraticEnvironment(continuousActions: false, decisionsPerEpisode), TestActor));

    [Fact]
    public void Sends_fragments_of_the_configured_size_and_a_summary_at_the_end_of_each_episode()
    {
        var environment = StartEnvironment(TestRun.SmallSettings());
        ExpectMsg<RegisterEnvironment>(r => r.EnvironmentId == "env-0", TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0));

        var cut = ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10));
        Assert.Equal((0L, 0, 4, false, 0L), (cut.EpisodeId, cut.Sequence, cut.Decisions.Count, cut.EndsEpisode, cut.PolicyVersion));
        Assert.NotEqual(0f, cut.BootstrapValue);
        var end = ExpectMsg<TrajectoryFragment>();
        Assert.Equal((0L, 1, 2, true), (end.EpisodeId, end.Sequence, end.Decisions.Count, end.EndsEpisode));
        // The episode's discounted return travels with the cut (the test agent's γ is 1: the plain sum).
        Assert.Equal(0.0, cut.DiscountedReturnBefore);
        Assert.Equal(cut.Decisions.Sum(d => (double)d.Reward), end.DiscountedReturnBefore, 5);
        Assert.True(end.Decisions[^1].Done);
        var summary = ExpectMsg<EpisodeSummary>();
        Assert.Equal(6, summary.Decisions);
        Assert.Equal(cut.Decisions.Concat(end.Decisions).Sum(d => (double)d.Reward), summary.Return, 4);
        Assert.Equal(1L, ExpectMsg<TrajectoryFragment>().EpisodeId);
    }

    [Fact]
    public void Answers_status_and_adopts_a_newer_policy_between_decisions()
    {
        var environment = StartEnvironment(TestRun.SmallSettings(), decisionsPerEpisode: 1000);
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0));
        ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10));

        environment.Tell(GetStatus.Instance);
        var status = FishForMessage<EnvironmentStatus>(_ => true);
        Assert.Equal(0, status.PolicyVersion);
        Assert.True(status.DecisionsInEpisode >= 4);

        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(seed: 1), 1));
        FishForMessage<TrajectoryFragment>(f => f.PolicyVersion == 1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_fragment_never_mixes_two_policy_versions_when_a_new_one_arrives_mid_fragment()
    {
        // Four adoptions at whatever decision they happen to arrive: without the cut, each lands
        // mid-fragment with probability 3/4 (fragments of 4), so at least one would mix versions.
        var agents = Enumerable.Range(0, 5).Select(seed => TestRun.NewAgent(seed)).ToArray();
        var environment = StartEnvironment(TestRun.SmallSettings(), decisionsPerEpisode: 1000);
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(agents[0], 0));
        var fragments = new List<TrajectoryFragment> { ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10)) };
        for (var version = 1; version < agents.Length; version++)
        {
            environment.Tell(TestRun.PolicyOf(agents[version], version));
            var adopted = version;
            fragments.Add(FishForMessage<TrajectoryFragment>(f => { fragments.Add(f); return f.PolicyVersion == adopted; }, TimeSpan.FromSeconds(10)));
        }

        // Every decision's recorded value is what its fragment's version computes for that observation.
        foreach (var fragment in fragments.Distinct())
        foreach (var decision in fragment.Decisions)
            Assert.Equal(agents[fragment.PolicyVersion].Value(decision.Observation), decision.Value, 5);
        Assert.All(fragments, f => Assert.InRange(f.Decisions.Count, 1, 4));
    }

    [Fact]
    public void Ignores_a_policy_whose_checksum_does_not_match()
    {
        var environment = StartEnvironment(TestRun.SmallSettings());
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0) with { Checksum = new string('0', 64) });
        environment.Tell(GetStatus.Instance);
        Assert.Equal(-1, ExpectMsg<EnvironmentStatus>().PolicyVersion);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Resends_a_fragment_that_was_not_acknowledged_in_time()
    {
        var environment = StartEnvironment(TestRun.SmallSettings("alrs.actors.environments.ack-timeout = 200ms"), decisionsPerEpisode: 4);
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0));
        var first = ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10));
        Assert.True(first.EndsEpisode);

        // Acknowledge everything except the very first fragment; it must come again.
        var again = FishForMessage(m =>
        {
            if (m is TrajectoryFragment f && (f.EpisodeId, f.Sequence) != (first.EpisodeId, first.Sequence))
                environment.Tell(new FragmentAck(f.EnvironmentId, f.EpisodeId, f.Sequence));
            return m is TrajectoryFragment f2 && (f2.EpisodeId, f2.Sequence) == (first.EpisodeId, first.Sequence);
        }, TimeSpan.FromSeconds(5));
        Assert.Same(first, again);
    }

    [Fact]
    public void Resends_its_unacknowledged_fragments_at_once_when_the_learner_reports_a_gap()
    {
        // ack-timeout of an hour: only the gap can bring the first fragment back within the test.
        var environment = StartEnvironment(TestRun.SmallSettings("alrs.actors.environments.ack-timeout = 1h"), decisionsPerEpisode: 4);
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0));
        var first = ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10));
        var later = FishForMessage<TrajectoryFragment>(f => f.EpisodeId > first.EpisodeId, TimeSpan.FromSeconds(10));

        environment.Tell(new FragmentGap(later.EnvironmentId, later.EpisodeId, later.Sequence));
        var again = FishForMessage<TrajectoryFragment>(f => (f.EpisodeId, f.Sequence) == (first.EpisodeId, first.Sequence), TimeSpan.FromSeconds(5));
        Assert.Same(first, again);
    }

    [Fact]
    public void A_learner_that_never_acknowledges_holds_the_buffer_at_its_bound_pausing_sampling_until_acknowledgements_come()
    {
        var environment = StartEnvironment(TestRun.SmallSettings("alrs.actors.environments.max-unacked-fragments = 3"), decisionsPerEpisode: 1000);
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0));
        var sent = Enumerable.Range(0, 3).Select(_ => ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10))).ToArray();
        Assert.Equal([0, 1, 2], sent.Select(f => f.Sequence));

        // Paused: nothing more is sampled or sent, however long the learner stays silent.
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        environment.Tell(GetStatus.Instance);
        var paused = ExpectMsg<EnvironmentStatus>();
        Assert.Equal((3, 12), (paused.UnacknowledgedFragments, paused.DecisionsInEpisode));

        // One acknowledgement makes room for one more fragment, then it pauses again.
        environment.Tell(new FragmentAck("env-0", sent[0].EpisodeId, 0));
        Assert.Equal(3, ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10)).Sequence);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        environment.Tell(GetStatus.Instance);
        var again = ExpectMsg<EnvironmentStatus>();
        Assert.Equal((3, 16), (again.UnacknowledgedFragments, again.DecisionsInEpisode));
    }

    [Fact]
    public void A_policy_from_a_sender_other_than_the_learner_or_an_implausible_jump_is_ignored_and_logged_once()
    {
        var environment = StartEnvironment(TestRun.SmallSettings(), decisionsPerEpisode: 1000);
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0));
        ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10));

        var stranger = CreateTestProbe();
        EventFilter.Warning(contains: "neither the learner nor this node's relay").Expect(1, () =>
        {
            environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(seed: 1), 1), stranger);
            environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(seed: 1), 2), stranger);
            environment.Tell(GetStatus.Instance, stranger);
            Assert.Equal(0, stranger.ExpectMsg<EnvironmentStatus>().PolicyVersion);
        });
        EventFilter.Warning(contains: "jumps more than").Expect(1, () =>
        {
            environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(seed: 1), long.MaxValue));
            environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(seed: 1), 5_000_000));
            environment.Tell(GetStatus.Instance, stranger);
            Assert.Equal(0, stranger.ExpectMsg<EnvironmentStatus>().PolicyVersion);
        });

        // The learner's next version still gets through.
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(seed: 1), 1));
        environment.Tell(GetStatus.Instance, stranger);
        Assert.Equal(1, stranger.ExpectMsg<EnvironmentStatus>().PolicyVersion);
    }

    [Fact]
    public void An_injected_fault_is_ignored_and_logged_once_unless_fault_injection_is_allowed()
    {
        var environment = StartEnvironment(TestRun.SmallSettings(), decisionsPerEpisode: 1000);
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0));
        ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10));

        EventFilter.Warning(contains: "ignoring InjectFault").Expect(1, () =>
        {
            environment.Tell(new InjectFault("forged"));
            environment.Tell(new InjectFault("forged again"));
            // Still sampling, not stopped.
            FishForMessage<TrajectoryFragment>(f => f.Sequence >= 3, TimeSpan.FromSeconds(10));
        });
    }

    [Fact]
    public void A_learner_that_forgot_it_mid_episode_makes_it_abandon_the_episode_and_start_a_new_one()
    {
        var environment = StartEnvironment(TestRun.SmallSettings(), decisionsPerEpisode: 1000);
        ExpectMsg<RegisterEnvironment>(TimeSpan.FromSeconds(10));
        environment.Tell(TestRun.PolicyOf(TestRun.NewAgent(), 0));
        var first = ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10));
        var second = ExpectMsg<TrajectoryFragment>(TimeSpan.FromSeconds(10));

        // Sequence 0 is in a committed version; then the learner evicted this environment's watermark.
        environment.Tell(new FragmentAck("env-0", first.EpisodeId, 0));
        environment.Tell(new FragmentGap("env-0", second.EpisodeId, second.Sequence));

        var next = FishForMessage<TrajectoryFragment>(f => f.EpisodeId != first.EpisodeId, TimeSpan.FromSeconds(10));
        Assert.Equal((first.EpisodeId + 1, 0), (next.EpisodeId, next.Sequence));
    }
}
