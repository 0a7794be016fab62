using System.Collections;
using Alrs.Actors;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Hosting;
using Alrs.Nodes.Tests.Cluster;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Tests.Control;

/// <summary>
/// <c>alrs ctl</c> against a node running the training graph (<see cref="TrainingSystem.StartTraining"/>)
/// on the fast noisy-quadratic environment: the actor tree, learner status, scaling environments.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CtlTrainingSpecs : IAsyncLifetime
{
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    readonly string _runDirectory = Directory.CreateTempSubdirectory("alrs-ctl-").FullName;
    ClusterNode _node = null!;

    public async Task InitializeAsync()
    {
        var config = ClusterNodeConfig.Load(new Dictionary<string, string>
        {
            ["alrs.cluster.port"] = "0",
            ["alrs.ctl.port"] = "0",
            ["akka.loglevel"] = "WARNING",
            ["alrs.actors.environments.count"] = "2",
            ["alrs.actors.environments.torch-threads"] = "1",
            ["alrs.actors.environments.fragment-decisions"] = "4",
            ["alrs.actors.learner.steps-per-update"] = "8",
        }, environment: new Hashtable());
        var actors = ActorSettings.FromConfig(config);
        var system = TrainingSystem.ForRun(config, actors, _runDirectory);
        _node = await ClusterNode.StartAsync(ClusterSettings.FromConfig(config) with { JoinTimeout = TimeSpan.FromSeconds(20) },
            system, [NodeRoles.Learner, NodeRoles.Worker], isSeed: true, TextWriter.Null);
        _node.System.StartTraining(actors,
            _ => new NoisyQuadraticEnvironment(continuousActions: false, decisionsPerEpisode: 20),
            () => new PpoAgent(new PpoSettings { Minibatches = 1, Epochs = 1 }, 3, ActionSpace.Discrete(3), seed: 0));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        try { Directory.Delete(_runDirectory, recursive: true); }
        catch (IOException) { } // the SQLite store may still be closing
    }

    async Task<string> Ctl(params string[] words)
    {
        var output = new LineCapture();
        Assert.Equal(CommandRouter.Ok, await new CtlCommand(output).RunAsync([_node.Control!.Endpoint, .. words], CancellationToken.None));
        return output.ToString();
    }

    static string Row(string output, string label) =>
        output.Split('\n').FirstOrDefault(l => l.StartsWith(label + "  ", StringComparison.Ordinal))?[label.Length..].Trim() ?? $"(no '{label}' row in {output})";

    [Fact]
    public async Task Actor_hierarchy_shows_the_learner_store_and_environment_actors()
    {
        var tree = (await Ctl("actor", "hierarchy")).Split('\n');

        Assert.Contains("  learner", tree);
        Assert.Contains("  policy-store", tree);
        Assert.Contains("  rollouts", tree);
        Assert.Contains("    env-0-0", tree);
        Assert.Contains("    env-1-0", tree);
    }

    [Fact]
    public async Task Envs_scale_changes_the_environments_that_rollout_and_learner_status_report()
    {
        await Poll.UntilAsync(async () => Row(await Ctl("learner", "status"), "environments connected") == "2", Settle, () => "two environments never connected");

        var scaled = await Ctl("envs", "scale", "3");
        Assert.Contains($"{_node.SelfAddress}: scaled to 3; 3 running (env-0 env-1 env-2)", scaled);
        await Poll.UntilAsync(async () => Row(await Ctl("learner", "status"), "environments connected") == "3", Settle, () => "the third environment never connected");

        await Ctl("envs", "scale", "1", "--worker", $"{_node.SelfAddress.Host}:{_node.SelfAddress.Port}");
        Assert.Contains("1 running (env-0)", await Ctl("envs", "status"));
        await Poll.UntilAsync(async () => Row(await Ctl("learner", "status"), "environments connected") == "1", Settle, () => "stopped environments still count as connected");
    }

    [Fact]
    public async Task Learner_status_reports_versions_and_returns_as_training_goes_on()
    {
        string status = "";
        await Poll.UntilAsync(async () => long.Parse(Row(status = await Ctl("learner", "status"), "policy version")) >= 1, Settle, () => $"no policy update: {status}");

        Assert.Equal("/user/learner", Row(status, "learner"));
        Assert.True(long.Parse(Row(status, "updates")) >= 1, status);
        Assert.True(double.Parse(Row(status, "decisions/s"), System.Globalization.CultureInfo.InvariantCulture) > 0, status);
        Assert.Matches(@"^mean -?[0-9.]+ over [0-9]+: ", Row(status, "recent returns"));
    }
}
