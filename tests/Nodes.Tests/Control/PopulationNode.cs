using System.Collections;
using Alrs.Actors;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Nodes.Hosting;
using Alrs.Nodes.Tests.Cluster;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Control;

/// <summary>
/// A seed node (learner and worker roles, ctl on a free port) training three controllers on
/// three noisy-quadratic environments, for the <c>alrs ctl</c> population specs; a run directory
/// of its own, removed on disposal.
/// </summary>
sealed class PopulationNode : IAsyncDisposable
{
    readonly string _runDirectory;

    PopulationNode(string runDirectory, ClusterNode node) => (_runDirectory, Node) = (runDirectory, node);

    public ClusterNode Node { get; }

    /// <param name="settings">Keys laid over the shared ones (e.g. the population's mode).</param>
    /// <param name="policy">PPO settings of controller k.</param>
    public static async Task<PopulationNode> StartAsync(IReadOnlyDictionary<string, string> settings, Func<int, PpoSettings> policy)
    {
        var runDirectory = Directory.CreateTempSubdirectory("alrs-ctl-population-").FullName;
        var keys = new Dictionary<string, string>
        {
            ["alrs.cluster.port"] = "0",
            ["alrs.ctl.port"] = "0",
            ["akka.loglevel"] = "WARNING",
            ["alrs.actors.environments.count"] = "3",
            ["alrs.actors.environments.torch-threads"] = "1",
            ["alrs.actors.environments.fragment-decisions"] = "4",
            ["alrs.actors.learner.steps-per-update"] = "8",
            ["alrs.population.controllers"] = "3",
        };
        foreach (var (key, value) in settings) keys[key] = value;
        var config = ClusterNodeConfig.Load(keys, environment: new Hashtable());
        var actors = ActorSettings.FromConfig(config);
        var system = TrainingSystem.ForRun(config, actors, runDirectory);
        var node = await ClusterNode.StartAsync(ClusterSettings.FromConfig(config) with { JoinTimeout = TimeSpan.FromSeconds(20) },
            system, [NodeRoles.Learner, NodeRoles.Worker], isSeed: true, TextWriter.Null);
        node.System.StartTraining(actors, PopulationSettings.FromConfig(config),
            _ => new NoisyQuadraticEnvironment(continuousActions: false, decisionsPerEpisode: 20),
            (k, seed) => new PpoAgent(policy(k), 3, ActionSpace.Discrete(3), seed));
        return new PopulationNode(runDirectory, node);
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        try { Directory.Delete(_runDirectory, recursive: true); }
        catch (IOException) { } // the SQLite store may still be closing
    }
}
