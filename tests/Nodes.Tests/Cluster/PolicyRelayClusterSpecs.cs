using System.Collections;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Messages;
using Alrs.Nodes.Hosting;
using Alrs.Nodes.Tests.Control;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// Per-node policy fan-out across a real wire: a learner (with its SQLite policy store) on one
/// in-process node, a worker node with k = 3 fast environments. Every policy version the
/// worker node reads off the wire is recorded by its serializer.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PolicyRelayClusterSpecs : IDisposable
{
    const int Environments = 3;
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    readonly string _runDirectory = Path.Combine(Path.GetTempPath(), "alrs-relay-specs", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_runDirectory, recursive: true); }
        catch (IOException) { }
    }

    static Config Load(Dictionary<string, string> overrides, bool relay) =>
        ConfigurationFactory.ParseString(CountingPolicySerializer.Binding + $"\nalrs.actors.environments.policy-relay = {(relay ? "on" : "off")}")
            .WithFallback(ClusterNodeConfig.Load(overrides, environment: new Hashtable()));

    /// <summary>Runs learner and worker until the worker node received <paramref name="versions"/> distinct versions; returns what it read off the wire.</summary>
    async Task<IReadOnlyList<long>> TrainAsync(bool relay, int versions)
    {
        Directory.CreateDirectory(_runDirectory);
        var seedConfig = Load(new() { ["alrs.cluster.port"] = "0" }, relay);
        var settings = ActorSettings.FromConfig(seedConfig) with
        {
            StepsPerUpdate = 8, FragmentDecisions = 4, TorchThreads = 1, Environments = Environments, EnvironmentIdPrefix = "w/",
        };
        await using var seed = await ClusterNode.StartAsync(ClusterSettings.FromConfig(seedConfig),
            TrainingSystem.ForRun(seedConfig, settings, _runDirectory), [NodeRoles.Learner], isSeed: true, TextWriter.Null);
        var store = seed.System.ActorOf(PolicyStore.Props(settings), "policy-store");
        seed.System.ActorOf(LearnerActor.Props(settings, () => new PpoAgent(new PpoSettings { Minibatches = 1, Epochs = 1 }, 3, ActionSpace.Discrete(3), 0), store), "learner");

        var workerConfig = Load(new() { ["alrs.cluster.port"] = "0", ["alrs.cluster.seeds"] = $"127.0.0.1:{seed.SelfAddress.Port}" }, relay);
        await using var worker = await ClusterNode.StartAsync(ClusterSettings.FromConfig(workerConfig), workerConfig, [NodeRoles.Worker], isSeed: false, TextWriter.Null);
        var learner = await worker.System.ActorSelection(new RootActorPath(seed.SelfAddress) / "user" / "learner").ResolveOne(Timeout);
        var rollouts = worker.System.ActorOf(RolloutSupervisor.Props(settings, _ => new NoisyQuadraticEnvironment(continuousActions: false, 10), learner), WorkerRole.RolloutsName);

        var received = CountingPolicySerializer.Of(worker.System).Received;
        await Poll.UntilAsync(() => received.Distinct().Count() >= versions, Timeout, () => $"the worker read versions [{string.Join(", ", received)}]");
        // Every environment acts with what crossed the wire.
        await Poll.UntilAsync(async () =>
        {
            var statuses = await Task.WhenAll(Enumerable.Range(0, Environments).Select(i =>
                worker.System.ActorSelection(rollouts.Path / $"env-{i}-0").Ask<EnvironmentStatus>(GetStatus.Instance, Timeout)));
            return statuses.All(s => s.PolicyVersion >= versions - 1);
        }, Timeout, () => "not every environment adopted the versions its node received");
        await rollouts.GracefulStop(Timeout);
        return [.. received];
    }

    [Fact]
    public async Task A_worker_with_k_environments_receives_each_version_once()
    {
        var received = await TrainAsync(relay: true, versions: 4);

        Assert.True(received.Distinct().Count() >= 4);
        Assert.All(received.GroupBy(v => v), copies => Assert.Single(copies));
    }

    [Fact]
    public async Task Without_the_relay_each_environment_gets_its_own_copy_of_a_version()
    {
        var received = await TrainAsync(relay: false, versions: 4);

        // Versions published after all k environments registered cross the wire k times.
        Assert.Contains(received.GroupBy(v => v), copies => copies.Count() == Environments);
    }
}
