using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>
/// Population-based training with the real SQLite store: a learner told to exploit continues
/// from the source bit for bit as its next version and stores the event; a population of three
/// on the fast quadratic environment exploits, keeps every controller's versions increasing,
/// and a resumed run keeps the lineage.
/// </summary>
public sealed class PopulationPbtSpecs : TestKit
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    readonly string _runDirectory;
    readonly ActorSettings _settings;
    readonly PopulationSettings _population = new()
    {
        Controllers = 3,
        Mode = PopulationSettings.PbtMode,
        Pbt = new PbtSettings { IntervalUpdates = 2 },
    };

    public PopulationPbtSpecs() : this(TestRun.NewDirectory(), TestRun.SmallSettings("""
        alrs.actors.environments.count = 3
        alrs.actors.learner.steps-per-update = 20
        alrs.actors.environments.fragment-decisions = 10
        """)) { }

    PopulationPbtSpecs(string runDirectory, ActorSettings settings) : base(TestRun.SystemConfig(runDirectory, settings))
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

    [Fact]
    public void A_learner_told_to_exploit_continues_from_the_source_bit_for_bit_as_its_next_version_and_stores_the_event()
    {
        var store = Sys.ActorOf(PolicyStore.Supervised(_settings), "policy-store");
        var learner = Sys.ActorOf(LearnerActor.Props(_settings, () => TestRun.NewAgent(seed: 1), store), "learner");
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.Equal(0, environment.ExpectMsg<PolicyVersion>(Patience).Version);

        // Another controller's version after an update: weights, statistics and Adam state of its own.
        using var sourceAgent = TestRun.NewAgent(seed: 5);
        sourceAgent.Update(TrajectoryAssembler.Assemble([[TestRun.Fragment("env-9", 0, 0, 0), TestRun.Fragment("env-9", 0, 1, 0, endsEpisode: true)]]));
        var source = TestRun.PolicyOf(sourceAgent, 12) with { Controller = 2 };
        var hyperparameters = new Dictionary<string, double> { ["learning-rate"] = 0.0036, ["clip-coefficient"] = 0.16, ["entropy-coefficient"] = 0.08 };
        var exploit = new PopulationExploit(2, -1, -1, 2, 12, hyperparameters, "learning-rate ×1.2, clip-coefficient ×0.8, entropy-coefficient ×0.8", -5, -1, DateTime.UtcNow);

        learner.Tell(new ExploitFrom(source, exploit), TestActor);

        var done = ExpectMsg<Exploited>(Patience).Exploit;
        Assert.Equal((0, 1L, 0L, 2, 12L), (done.Controller, done.Version, done.Updates, done.SourceController, done.SourceVersion));
        var published = environment.FishForMessage<PolicyVersion>(p => p.Version == 1, Patience);
        using var continued = PpoAgent.FromBlob(published.Blob);
        Assert.Equal(PolicyBlob.LearnedState(sourceAgent), PolicyBlob.LearnedState(continued));
        Assert.Equal((0.0036, 0.16, 0.08), (continued.Settings.LearningRate, continued.Settings.ClipCoefficient, continued.Settings.EntropyCoefficient));
        Assert.Equal(1, continued.Seed); // its own PPO seed, not the source's

        // The store keeps the event with the version; the status shows the hyperparameters in use.
        store.Tell(GetStoredPolicies.Instance, TestActor);
        var stored = ExpectMsg<StoredPolicies>(Patience);
        var kept = Assert.Single(stored.Exploits!);
        Assert.Equal((1L, 2, 12L), (kept.Version, kept.SourceController, kept.SourceVersion));
        Assert.Equal(hyperparameters, kept.Hyperparameters);
        learner.Tell(GetLearnerStatus.Instance, TestActor);
        Assert.Equal("learning-rate = 0.0036, clip-coefficient = 0.16, entropy-coefficient = 0.08", ExpectMsg<LearnerStatus>().Hyperparameters);
    }

    [Fact]
    public void A_source_with_other_shapes_is_refused_and_the_learner_goes_on_as_it_was()
    {
        var store = Sys.ActorOf(PolicyStore.Supervised(_settings), "policy-store");
        var learner = Sys.ActorOf(LearnerActor.Props(_settings, () => TestRun.NewAgent(seed: 1), store), "learner");
        var environment = CreateTestProbe();
        learner.Tell(new RegisterEnvironment("env-0"), environment);
        environment.ExpectMsg<PolicyVersion>(Patience);
        using var other = new PpoAgent(TestRun.Ppo, 5, ActionSpace.Discrete(3), 5);
        var exploit = new PopulationExploit(1, -1, -1, 1, 3, PbtHyperparameters.Of(TestRun.Ppo), "", 0, 0, DateTime.UtcNow);

        learner.Tell(new ExploitFrom(TestRun.PolicyOf(other, 3), exploit), TestActor);

        Assert.Contains("observes 5 values", ExpectMsg<ExploitRefused>(Patience).Reason);
        // It trains on as before: 20 decisions (steps-per-update) make its version 1.
        for (var sequence = 0; sequence < 5; sequence++) learner.Tell(TestRun.Fragment("env-0", 0, sequence, 0), environment);
        Assert.Equal(1, environment.FishForMessage<PolicyVersion>(_ => true, Patience).Version);
    }

    [Fact]
    public async Task Three_controllers_exploit_and_explore_with_increasing_versions_and_a_resume_keeps_the_lineage()
    {
        var config = TestRun.SystemConfig(_runDirectory, _settings);
        var versions = Enumerable.Range(0, 3).ToDictionary(k => k, _ => new List<long>());
        PopulationExploit exploit;
        var first = ActorSystem.Create("first", config);
        {
            var probe = CreateTestProbe(first);
            first.EventStream.Subscribe(probe, typeof(PolicyPublished));
            first.EventStream.Subscribe(probe, typeof(PopulationExploit));
            first.StartTraining(_settings, _population, Quadratic, Agents);
            while (true)
            {
                var message = probe.ExpectMsg<object>(Patience);
                if (message is PolicyPublished published) versions[published.Controller].Add(published.Version);
                if (message is not PopulationExploit e) continue;
                exploit = e;
                break;
            }
            // The exploit's version was published (before the event) as the exploited controller's next one.
            Assert.Contains(exploit.Version, versions[exploit.Controller]);
            await first.Terminate();
        }

        Assert.NotEqual(exploit.SourceController, exploit.Controller);
        Assert.True(exploit.MeanReturn <= exploit.SourceMeanReturn, $"{exploit.MeanReturn} exploited {exploit.SourceMeanReturn}");
        Assert.True(exploit.Updates >= 2, $"exploited after {exploit.Updates} updates");
        Assert.All(new PbtSettings().Explore, b => Assert.InRange(exploit.Hyperparameters[b.Key], b.Min, b.Max));
        foreach (var (controller, sequence) in versions)
            Assert.True(sequence.Zip(sequence.Skip(1)).All(p => p.Item2 > p.Item1), $"controller {controller}: {string.Join(",", sequence)}");

        var second = ActorSystem.Create("second", config);
        try
        {
            var probe = CreateTestProbe(second);
            second.EventStream.Subscribe(probe, typeof(PolicyPublished));
            second.StartTraining(_settings, _population, Quadratic, (_, _) => throw new InvalidOperationException("must resume, not start fresh"));
            // Every controller continues after its last version, the exploited one after the exploit.
            var resumed = new Dictionary<int, long>();
            while (resumed.Count < 3)
            {
                var published = probe.ExpectMsg<PolicyPublished>(Patience);
                if (published.Decisions > 0) resumed.TryAdd(published.Controller, published.Version);
            }
            foreach (var (controller, version) in resumed)
                Assert.True(version > versions[controller][^1], $"controller {controller} resumed at v{version}, had v{versions[controller][^1]}");

            // The exploit is still in its controller's store, now that newer versions were stored after the resume.
            var store = await second.ActorSelection($"/user/learner/policy-store-{PopulationSettings.Name(exploit.Controller)}").ResolveOne(Patience);
            var stored = await store.Ask<StoredPolicies>(GetStoredPolicies.Instance, Patience);
            var kept = Assert.Single(stored.Exploits!, e => e.Version == exploit.Version);
            Assert.Equal((exploit.SourceController, exploit.SourceVersion, exploit.Perturbation), (kept.SourceController, kept.SourceVersion, kept.Perturbation));
            Assert.Equal(exploit.Hyperparameters, kept.Hyperparameters);
            Assert.True(stored.LastVersionNumber > exploit.Version);
        }
        finally
        {
            await second.Terminate();
        }
    }
}
