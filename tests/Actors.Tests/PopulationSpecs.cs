using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>
/// A population of three controllers on one node, on the fast quadratic environment and the
/// real SQLite store: shared environments, per-controller versions, no cross-training, a
/// learner restarted alone, rebalancing on scale, resume.
/// </summary>
public sealed class PopulationSpecs : TestKit
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    readonly string _runDirectory;
    readonly ActorSettings _settings;
    readonly PopulationSettings _population = new() { Controllers = 3 };

    public PopulationSpecs() : this(TestRun.NewDirectory(), TestRun.SmallSettings("""
        alrs.actors.environments.count = 3
        alrs.actors.learner.steps-per-update = 20
        alrs.actors.environments.fragment-decisions = 10
        """)) { }

    PopulationSpecs(string runDirectory, ActorSettings settings) : base(TestRun.SystemConfig(runDirectory, settings))
    {
        _runDirectory = runDirectory;
        _settings = settings;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(_runDirectory);
    }

    static ILearningEnvironment Quadratic(int index) => new NoisyQuadraticEnvironment(continuousActions: false, decisionsPerEpisode: 10);

    static Func<int, int, PpoAgent> Agents => (_, seed) => TestRun.NewAgent(seed);

    LearnerStatus StatusOf(IActorRef learner)
    {
        learner.Tell(GetLearnerStatus.Instance, TestActor);
        return FishForMessage<LearnerStatus>(_ => true, Patience);
    }

    /// <summary>Collects published versions until every controller reached <paramref name="version"/>; returns each controller's sequence.</summary>
    static Dictionary<int, List<long>> CollectUntil(Akka.TestKit.TestProbe probe, int controllers, long version, Dictionary<int, List<long>>? seen = null)
    {
        seen ??= Enumerable.Range(0, controllers).ToDictionary(k => k, _ => new List<long>());
        while (seen.Values.Any(v => v.Count == 0 || v[^1] < version))
        {
            var published = probe.ExpectMsg<PolicyPublished>(Patience);
            seen[published.Controller].Add(published.Version);
        }
        return seen;
    }

    [Fact]
    public async Task Three_controllers_share_the_environments_and_each_trains_only_on_its_own_fragments()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(PolicyPublished));
        var graph = Sys.StartTraining(_settings, _population, Quadratic, Agents);

        var versions = CollectUntil(probe, 3, 3);
        foreach (var (controller, sequence) in versions)
        {
            Assert.Equal(0, sequence[0]);
            Assert.True(sequence.Zip(sequence.Skip(1)).All(p => p.Item2 == p.Item1 + 1), $"controller {controller}: {string.Join(",", sequence)}");
        }

        var status = StatusOf(graph.Learner);
        Assert.NotNull(status.Controllers);
        Assert.Equal([0, 1, 2], status.Controllers!.Select(c => c.Controller));
        // One environment each, every controller trained, none on another's fragments.
        Assert.All(status.Controllers!, c => Assert.Equal(1, c.EnvironmentsConnected));
        Assert.All(status.Controllers!, c => Assert.True(c.Updates >= 3, $"controller {c.Controller}: {c.Updates} updates"));
        Assert.All(status.Controllers!, c => Assert.Equal(0, c.Malformed));
        Assert.Equal(3, status.EnvironmentsConnected);
        Assert.Equal(status.Controllers!.Sum(c => c.Episodes), status.Episodes);

        // A fragment stamped for controller 2 that reaches controller 1's learner is refused.
        var learner1 = await Sys.ActorSelection("/user/learner/learner-c1").ResolveOne(Patience);
        var environment = CreateTestProbe();
        learner1.Tell(TestRun.Fragment("env-stray", 7, 0, 0) with { Controller = 2 }, environment);
        AwaitAssert(() => Assert.Equal(1, StatusOf(learner1).Malformed), Patience);
    }

    [Fact]
    public async Task A_killed_learner_restarts_from_its_store_while_the_others_go_on()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(PolicyPublished));
        Sys.StartTraining(_settings, _population, Quadratic, Agents);
        var versions = CollectUntil(probe, 3, 2);

        var learner1 = await Sys.ActorSelection("/user/learner/learner-c1").ResolveOne(Patience);
        learner1.Tell(Kill.Instance);
        var before = versions.ToDictionary(v => v.Key, v => v.Value[^1]);
        versions = CollectUntil(probe, 3, before.Values.Max() + 2, versions);

        // Every controller's numbering went on from where it was: the restarted one from its store.
        foreach (var (controller, sequence) in versions)
            Assert.True(sequence.Zip(sequence.Skip(1)).All(p => p.Item2 > p.Item1), $"controller {controller}: {string.Join(",", sequence)}");
        Assert.Contains(versions[1], v => v > before[1]);
    }

    [Fact]
    public void Scaling_the_environments_spreads_them_over_the_controllers()
    {
        var graph = Sys.StartTraining(_settings, _population, Quadratic, Agents);
        AwaitAssert(() => Assert.Equal([1, 1, 1], StatusOf(graph.Learner).Controllers!.Select(c => c.EnvironmentsConnected)), Patience);

        graph.Rollouts.Tell(new ScaleEnvironments(6));
        AwaitAssert(() => Assert.Equal([2, 2, 2], StatusOf(graph.Learner).Controllers!.Select(c => c.EnvironmentsConnected)), Patience);
        graph.Rollouts.Tell(new ScaleEnvironments(3));
        AwaitAssert(() => Assert.Equal([1, 1, 1], StatusOf(graph.Learner).Controllers!.Select(c => c.EnvironmentsConnected)), Patience);

        // Every controller keeps training after the scaling.
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(PolicyPublished));
        var now = StatusOf(graph.Learner).Controllers!.Select(c => c.Version).ToArray();
        CollectUntil(probe, 3, now.Max() + 1);
    }

    [Fact]
    public void Environments_that_stop_are_replaced_by_reassigning_others()
    {
        var population = Sys.ActorOf(PopulationActor.Props(_settings, _population, Agents), "population");
        var environments = Enumerable.Range(0, 6).Select(_ => CreateTestProbe()).ToArray();
        var assigned = new int[environments.Length];
        for (var i = 0; i < environments.Length; i++)
        {
            population.Tell(new RegisterEnvironment($"env-{i}"), environments[i]);
            assigned[i] = environments[i].FishForMessage<AssignController>(_ => true, Patience).Controller;
        }
        Assert.Equal([2, 2, 2], Enumerable.Range(0, 3).Select(k => assigned.Count(a => a == k)));

        // Both environments of controller 0 stop: one of another controller's moves to it.
        var gone = Enumerable.Range(0, 6).Where(i => assigned[i] == 0).ToArray();
        foreach (var i in gone) Sys.Stop(environments[i].Ref);
        AwaitAssert(() => Assert.Equal(1, StatusOf(population).Controllers![0].EnvironmentsConnected), Patience);
        var counts = StatusOf(population).Controllers!.Select(c => c.EnvironmentsConnected).ToArray();
        Assert.Equal(4, counts.Sum());
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
        // The move was told to exactly one environment (already in its mailbox: told before the status was answered).
        var toldToMove = Enumerable.Range(0, 6).Except(gone)
            .Count(i => environments[i].ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m).OfType<AssignController>().Any(a => a.Controller == 0));
        Assert.Equal(1, toldToMove);
    }

    [Fact]
    public async Task A_resumed_population_continues_every_controller_from_its_store()
    {
        var config = TestRun.SystemConfig(_runDirectory, _settings);
        Dictionary<int, List<long>> first;
        var system = ActorSystem.Create("first", config);
        {
            var probe = CreateTestProbe(system);
            system.EventStream.Subscribe(probe, typeof(PolicyPublished));
            system.StartTraining(_settings, _population, Quadratic, Agents);
            first = CollectUntil(probe, 3, 2);
            await system.Terminate();
        }

        var second = ActorSystem.Create("second", config);
        try
        {
            var probe = CreateTestProbe(second);
            second.EventStream.Subscribe(probe, typeof(PolicyPublished));
            second.StartTraining(_settings, _population, Quadratic, (_, _) => throw new InvalidOperationException("must resume, not start fresh"));
            var resumed = new Dictionary<int, long>();
            while (resumed.Count < 3)
            {
                var published = probe.ExpectMsg<PolicyPublished>(Patience);
                resumed.TryAdd(published.Controller, published.Version);
            }
            foreach (var (controller, version) in resumed)
                Assert.True(version > first[controller][^1], $"controller {controller} resumed at v{version}, had v{first[controller][^1]}");
        }
        finally
        {
            await second.Terminate();
        }
    }
}
