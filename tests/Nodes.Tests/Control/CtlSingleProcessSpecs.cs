using Akka.Actor;
using Alrs.Actors;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Control;
using Alrs.Nodes.Tests.Cluster;

namespace Alrs.Nodes.Tests.Control;

/// <summary>
/// The endpoint on a plain actor system without Akka.Cluster, as <c>alrs train</c> runs:
/// learner and environment commands work, cluster commands say there is no cluster.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CtlSingleProcessSpecs : IAsyncLifetime
{
    readonly string _runDirectory = Directory.CreateTempSubdirectory("alrs-ctl-").FullName;
    ActorSystem _system = null!;
    ControlEndpoint _endpoint = null!;

    public Task InitializeAsync()
    {
        var config = AlrsConfig.Load(overrides: new Dictionary<string, string>
        {
            ["akka.loglevel"] = "WARNING",
            ["alrs.actors.environments.count"] = "1",
            ["alrs.actors.environments.torch-threads"] = "1",
            ["alrs.actors.environments.fragment-decisions"] = "4",
            ["alrs.actors.learner.steps-per-update"] = "8",
        });
        var actors = ActorSettings.FromConfig(config);
        _system = ActorSystem.Create("alrs-train", TrainingSystem.ForRun(config, actors, _runDirectory));
        _system.StartTraining(actors,
            _ => new NoisyQuadraticEnvironment(continuousActions: false, decisionsPerEpisode: 20),
            () => new PpoAgent(new PpoSettings { Minibatches = 1, Epochs = 1 }, 3, ActionSpace.Discrete(3), seed: 0));
        _endpoint = ControlEndpoint.Open(_system, ControlSettings.Load(config) with { Port = 0 });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        await _endpoint.DisposeAsync();
        try { Directory.Delete(_runDirectory, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task Learner_and_environment_commands_work_without_a_cluster()
    {
        var output = new LineCapture();
        var command = new CtlCommand(output);

        Assert.Equal(CommandRouter.Ok, await command.RunAsync([_endpoint.Endpoint, "learner", "status"], CancellationToken.None));
        Assert.Equal(CommandRouter.Ok, await command.RunAsync([_endpoint.Endpoint, "envs", "scale", "2"], CancellationToken.None));

        Assert.Contains("/user/learner", output.ToString());
        Assert.Contains("akka://alrs-train: scaled to 2; 2 running (env-0 env-1)", output.ToString());
    }

    [Fact]
    public async Task Cluster_commands_say_the_node_is_not_in_a_cluster()
    {
        var error = new StringWriter();

        Assert.Equal(CommandRouter.Failure, await CommandRouter.RunAsync(["ctl", _endpoint.Endpoint, "cluster", "show"], error));
        Assert.Contains("this node is not a cluster member", error.ToString());
    }
}
