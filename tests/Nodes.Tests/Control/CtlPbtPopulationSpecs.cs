using System.Text.RegularExpressions;
using Alrs.Learning.Ppo;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Tests.Cluster;

namespace Alrs.Nodes.Tests.Control;

/// <summary><c>alrs ctl learner status</c> against a node training a population of three by population-based training.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CtlPbtPopulationSpecs : IAsyncLifetime
{
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    PopulationNode _population = null!;

    // The controllers' learning rates differ from the start, so each row shows its own.
    public async Task InitializeAsync() =>
        _population = await PopulationNode.StartAsync(new Dictionary<string, string> { ["alrs.population.mode"] = "pbt" },
            k => new PpoSettings { Minibatches = 1, Epochs = 1, LearningRate = 0.001 * (k + 1) });

    public async Task DisposeAsync() => await _population.DisposeAsync();

    [Fact]
    public async Task Learner_status_shows_every_controllers_hyperparameters_in_pbt_mode()
    {
        var status = "";
        await Poll.UntilAsync(async () =>
        {
            var output = new LineCapture();
            Assert.Equal(CommandRouter.Ok, await new CtlCommand(output).RunAsync([_population.Node.Control!.Endpoint, "learner", "status"], CancellationToken.None));
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
