using System.Collections;
using System.Text.RegularExpressions;
using Alrs.Actors;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Hosting;
using Alrs.Nodes.Tests.Cluster;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Control;

/// <summary><c>alrs ctl learner status</c> against a node training a population of three by population-based training.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CtlPbtPopulationSpecs : IAsyncLifetime
{
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    readonly string _runDirectory = Directory.CreateTempSubdirectory("alrs-ctl-pbt-").FullName;
    ClusterNode _node = null!;

    public async Task InitializeAsync()
    {
        var config = ClusterNodeConfig.Load(new Dictionary<string, string>
        {
            ["alrs.cluster.port"] = "0",
            ["alrs.ctl.port"] = "0",
            ["akka.loglevel"] = "WARNING",
            ["alrs.actors.environments.count"] = "3",
            ["alrs.actors.environments.torch-threads"] = "1",
            ["alrs.actors.environments.fragment-decisions"] = "4",
            ["alrs.actors.learner.steps-per-update"] = "8",
            ["alrs.population.controllers"] = "3",
            ["alrs.population.mode"] = "pbt",
        }, environment: new Hashtable());
        var actors = ActorSettings.FromConfig(config);
        var system = TrainingSystem.ForRun(config, actors, _runDirectory);
        _node = await ClusterNode.StartAsync(ClusterSettings.FromConfig(config) with { JoinTimeout = TimeSpan.FromSeconds(20) },
            system, [NodeRoles.Learner, NodeRoles.Worker], isSeed: true, TextWriter.Null);
        _node.System.StartTraining(actors, PopulationSettings.FromConfig(config),
            _ => new NoisyQuadraticEnvironment(continuousActions: false, decisionsPerEpisode: 20),
            (k, seed) => new PpoAgent(new PpoSettings { Minibatches = 1, Epochs = 1, LearningRate = 0.001 * (k + 1) }, 3, ActionSpace.Discrete(3), seed));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        try { Directory.Delete(_runDirectory, recursive: true); }
        catch (IOException) { } // the SQLite store may still be closing
    }

    [Fact]
    public async Task Learner_status_shows_every_controllers_hyperparameters_in_pbt_mode()
    {
        var status = "";
        await Poll.UntilAsync(async () =>
        {
            var output = new LineCapture();
            Assert.Equal(CommandRouter.Ok, await new CtlCommand(output).RunAsync([_node.Control!.Endpoint, "learner", "status"], CancellationToken.None));
            // Every learner has its policy (a learner still recovering from its store shows "-").
            return Regex.Matches(status = output.ToString(), "learning-rate =").Count == 3;
        }, Settle, () => $"not every controller shows its hyperparameters: {status}");

        var lines = status.Split('\n').Select(l => l.TrimEnd()).ToArray();
        var header = Array.FindIndex(lines, l => l.StartsWith("CONTROLLER", StringComparison.Ordinal));
        Assert.True(header >= 0, status);
        Assert.Contains("HYPERPARAMETERS", lines[header]);
        // Each controller's own, as its learner uses them (the learning rates differ from the start).
        var rows = lines.Skip(header + 1).Take(3).ToArray();
        Assert.All(rows, row => Assert.Matches(@"learning-rate = [0-9.e-]+, clip-coefficient = [0-9.e-]+, entropy-coefficient = [0-9.e-]+", row));
        Assert.Equal(3, rows.Select(row => row[row.IndexOf("learning-rate", StringComparison.Ordinal)..]).Distinct().Count());
    }
}
