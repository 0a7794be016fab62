using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>The supervisor with a probe standing in for the learner.</summary>
public sealed class RolloutSupervisorSpecs : TestKit
{
    public RolloutSupervisorSpecs() : base(TestRun.ShippedConfig("akka.loglevel = ERROR")) { }

    readonly PolicyVersion _policy = TestRun.PolicyOf(TestRun.NewAgent(), 0);

    IActorRef StartSupervisor(ActorSettings settings, Func<int, ILearningEnvironment> factory) =>
        Sys.ActorOf(RolloutSupervisor.Props(settings, factory, TestActor), "rollouts");

    /// <summary>Answers registrations with the policy, acknowledges fragments; returns the first message matching.</summary>
    T Learn<T>(Predicate<T> until)
    {
        return (T)FishForMessage(message =>
        {
            switch (message)
            {
                case RegisterEnvironment: LastSender.Tell(_policy); break;
                case TrajectoryFragment f: LastSender.Tell(new FragmentAck(f.EnvironmentId, f.EpisodeId, f.Sequence)); break;
            }
            return message is T t && until(t);
        }, TimeSpan.FromSeconds(15));
    }

    RolloutStatus StatusOf(IActorRef supervisor)
    {
        supervisor.Tell(GetRolloutStatus.Instance, TestActor);
        return Learn<RolloutStatus>(_ => true);
    }

    [Fact]
    public void Restarts_an_environment_that_throws_discards_its_episode_and_sampling_goes_on()
    {
        var created = 0;
        // The first environment 0 throws at its 3rd decision; its replacement works.
        var supervisor = StartSupervisor(TestRun.SmallSettings("alrs.actors.environments.count = 1"),
            _ => new FaultyEnvironment(decisionsPerEpisode: 10, failAt: Interlocked.Increment(ref created) == 1 ? 3 : null));

        var failed = Learn<EnvironmentFailed>(_ => true);
        Assert.Equal(("env-0", 0L), (failed.EnvironmentId, failed.EpisodeId));
        Assert.Contains("blew up", failed.Reason);

        // The new incarnation registers again and samples episodes with fresh ids.
        var fragment = Learn<TrajectoryFragment>(f => f.EnvironmentId == "env-0");
        Assert.Equal(1L << 32, fragment.EpisodeId);
        Assert.Equal(1, StatusOf(supervisor).Restarts);
    }

    [Fact]
    public void Restarts_an_environment_after_an_injected_fault()
    {
        StartSupervisor(TestRun.SmallSettings("alrs.actors.environments.count = 1\nalrs.actors.environments.allow-fault-injection = on"), _ => new FaultyEnvironment(10, null));
        Learn<TrajectoryFragment>(_ => true);
        Sys.ActorSelection("/user/rollouts/env-0-0").Tell(new InjectFault("drill"));

        Assert.Contains("drill", Learn<EnvironmentFailed>(_ => true).Reason);
        Assert.True(Learn<TrajectoryFragment>(f => f.EpisodeId >> 32 == 1).Decisions.Count > 0);
    }

    [Fact]
    public void Stops_an_environment_failing_more_than_max_restarts_and_reports_it_while_others_go_on()
    {
        var supervisor = StartSupervisor(
            TestRun.SmallSettings("alrs.actors.environments.count = 2\nalrs.actors.supervisor.max-restarts = 1"),
            index => new FaultyEnvironment(10, failAt: index == 0 ? 2 : null));

        var stopped = Learn<EnvironmentStopped>(_ => true);
        Assert.Equal(("env-0", 2), (stopped.EnvironmentId, stopped.Failures));

        var status = StatusOf(supervisor);
        Assert.Equal(["env-0"], status.Stopped);
        Assert.Equal(["env-1"], status.Running);
        Assert.Equal(1, status.Restarts);
        Learn<TrajectoryFragment>(f => f.EnvironmentId == "env-1");
    }

    [Fact]
    public void Scales_the_number_of_environments_at_run_time()
    {
        var supervisor = StartSupervisor(TestRun.SmallSettings("alrs.actors.environments.count = 1"), _ => new FaultyEnvironment(10, null));
        Learn<RegisterEnvironment>(_ => true);

        supervisor.Tell(new ScaleEnvironments(3));
        AwaitAssert(() => Assert.Equal(["env-0", "env-1", "env-2"], StatusOf(supervisor).Running), TimeSpan.FromSeconds(10));
        Learn<TrajectoryFragment>(f => f.EnvironmentId == "env-2");

        supervisor.Tell(new ScaleEnvironments(1));
        AwaitAssert(() => Assert.Equal(["env-0"], StatusOf(supervisor).Running), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_scale_request_beyond_max_environments_is_clamped()
    {
        var supervisor = StartSupervisor(TestRun.SmallSettings("alrs.actors.environments.count = 1\nalrs.actors.supervisor.max-environments = 2"),
            _ => new FaultyEnvironment(1000, null));
        supervisor.Tell(new ScaleEnvironments(int.MaxValue));
        AwaitAssert(() => Assert.Equal(["env-0", "env-1"], StatusOf(supervisor).Running), TimeSpan.FromSeconds(10));
        supervisor.Tell(new ScaleEnvironments(1));
        AwaitAssert(() => Assert.Equal(["env-0"], StatusOf(supervisor).Running), TimeSpan.FromSeconds(10));
    }
}
