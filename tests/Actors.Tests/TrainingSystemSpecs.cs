using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>The whole graph as <c>alrs train</c> builds it, on the fast quadratic environment.</summary>
public sealed class TrainingSystemSpecs : TestKit
{
    readonly string _runDirectory;
    readonly ActorSettings _settings;

    public TrainingSystemSpecs() : this(TestRun.NewDirectory(), TestRun.SmallSettings("""
        alrs.actors.environments.count = 2
        alrs.actors.learner.steps-per-update = 40
        alrs.actors.environments.fragment-decisions = 10
        """)) { }

    TrainingSystemSpecs(string runDirectory, ActorSettings settings) : base(TestRun.SystemConfig(runDirectory, settings))
    {
        _runDirectory = runDirectory;
        _settings = settings;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(_runDirectory);
    }

    static ILearningEnvironment Quadratic(int index) => new NoisyQuadraticEnvironment(continuousActions: false, decisionsPerEpisode: 20);

    [Fact]
    public void Two_environments_train_the_policy_through_several_versions()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(PolicyPublished));
        var graph = Sys.StartTraining(_settings, Quadratic, () => TestRun.NewAgent());

        Assert.Equal(1, FishForMessage<PolicyPublished>(p => p.Version == 1, TimeSpan.FromSeconds(30)).Version);
        var second = FishForMessage<PolicyPublished>(p => p.Version == 2, TimeSpan.FromSeconds(30));
        Assert.True(second.Decisions >= 40, $"{second.Decisions} decisions");
        Assert.True(second.Metrics.ContainsKey("losses/approx_kl"));

        graph.Learner.Tell(GetLearnerStatus.Instance);
        var status = FishForMessage<LearnerStatus>(_ => true);
        Assert.True(status.Version >= 2);
        Assert.Equal(2, status.EnvironmentsConnected);
        Assert.True(status.Episodes >= 2);
        Assert.True(status.DecisionsPerSecond > 0);
    }

    [Fact]
    public async Task A_restarted_run_continues_numbering_from_the_last_stored_version()
    {
        var config = TestRun.SystemConfig(_runDirectory, _settings);
        long last;
        var first = ActorSystem.Create("first", config);
        {
            var probe = CreateTestProbe(first);
            first.EventStream.Subscribe(probe, typeof(PolicyPublished));
            first.StartTraining(_settings, Quadratic, () => TestRun.NewAgent());
            last = probe.FishForMessage<PolicyPublished>(p => p.Version >= 2, TimeSpan.FromSeconds(30)).Version;
            await first.Terminate();
        }

        var second = ActorSystem.Create("second", config);
        try
        {
            var probe = CreateTestProbe(second);
            second.EventStream.Subscribe(probe, typeof(PolicyPublished));
            var graph = second.StartTraining(_settings, Quadratic, () => throw new InvalidOperationException("must resume, not start fresh"));
            Assert.True(probe.ExpectMsg<PolicyPublished>(TimeSpan.FromSeconds(30)).Version > last);
        }
        finally
        {
            await second.Terminate();
        }
    }
}
