using System.Collections;
using Akka.Actor;
using Alrs.Actors;
using Alrs.Learning.Rl;
using Alrs.Messages;
using Alrs.Nodes.Hosting;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// Scaling a running worker from another node: <see cref="ScaleEnvironments"/> and the
/// rollout status cross the wire (alrs' binary serializer) between two in-process nodes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RemoteScalingSpecs
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    static Akka.Configuration.Config Config(Dictionary<string, string> overrides) => ClusterNodeConfig.Load(overrides, environment: new Hashtable());

    static async Task<RolloutStatus> WaitForRunning(ActorSelection rollouts, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var status = await rollouts.Ask<RolloutStatus>(GetRolloutStatus.Instance, Timeout);
            if (status.Running.Count == count || DateTime.UtcNow > deadline) return status;
            await Task.Delay(100); // polling a remote status, not synchronising actors
        }
    }

    [Fact]
    public async Task A_scale_message_from_another_node_grows_and_shrinks_a_workers_environments()
    {
        var seedConfig = Config(new() { ["alrs.cluster.port"] = "0" });
        await using var seed = await ClusterNode.StartAsync(ClusterSettings.FromConfig(seedConfig), seedConfig, [NodeRoles.Learner], isSeed: true, TextWriter.Null);
        var workerConfig = Config(new() { ["alrs.cluster.port"] = "0", ["alrs.cluster.seeds"] = $"127.0.0.1:{seed.SelfAddress.Port}" });
        await using var worker = await ClusterNode.StartAsync(ClusterSettings.FromConfig(workerConfig), workerConfig, [NodeRoles.Worker], isSeed: false, TextWriter.Null);

        // Fast environments without a learner: scaling does not need one.
        var settings = ActorSettings.FromConfig(workerConfig) with { Environments = 1, EnvironmentIdPrefix = "w/" };
        worker.System.ActorOf(RolloutSupervisor.Props(settings, _ => new NoisyQuadraticEnvironment(continuousActions: false, 4), ActorRefs.Nobody), WorkerRole.RolloutsName);
        var rollouts = seed.System.ActorSelection(new RootActorPath(worker.SelfAddress) / "user" / WorkerRole.RolloutsName);

        rollouts.Tell(new ScaleEnvironments(3));
        Assert.Equal(["w/env-0", "w/env-1", "w/env-2"], (await WaitForRunning(rollouts, 3)).Running);

        rollouts.Tell(new ScaleEnvironments(1));
        Assert.Equal(["w/env-0"], (await WaitForRunning(rollouts, 1)).Running);
    }
}
