using Alrs.Learning.Ppo;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Tests.Cluster;

namespace Alrs.Nodes.Tests.Control;

/// <summary><c>alrs ctl learner status</c> against a node training a population of three controllers.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CtlPopulationSpecs : IAsyncLifetime
{
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    PopulationNode _population = null!;

    public async Task InitializeAsync() =>
        _population = await PopulationNode.StartAsync(new Dictionary<string, string>(), _ => new PpoSettings { Minibatches = 1, Epochs = 1 });

    public async Task DisposeAsync() => await _population.DisposeAsync();

    async Task<string> Ctl(params string[] words)
    {
        var output = new LineCapture();
        Assert.Equal(CommandRouter.Ok, await new CtlCommand(output).RunAsync([_population.Node.Control!.Endpoint, .. words], CancellationToken.None));
        return output.ToString();
    }

    [Fact]
    public async Task Learner_status_lists_every_controller_and_the_best_one_with_the_spread()
    {
        var status = "";
        await Poll.UntilAsync(async () => (status = await Ctl("learner", "status")).Contains("best controller", StringComparison.Ordinal), Settle,
            () => $"no controller finished an episode: {status}");

        var lines = status.Split('\n').Select(l => l.TrimEnd()).ToArray();
        var header = Array.FindIndex(lines, l => l.StartsWith("CONTROLLER", StringComparison.Ordinal));
        Assert.True(header >= 0, status);
        Assert.Contains("STORE", lines[header]);
        Assert.Contains("MEAN RETURN", lines[header]);
        // One row per controller, each with its own environment and the store available.
        var rows = lines.Skip(header + 1).Take(3).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Equal(["0", "1", "2"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal("1", r[4]));
        Assert.All(rows, r => Assert.Equal("available", r[5]));
        Assert.Matches(@"best controller [0-2] \(mean return -?[0-9.]+\), spread [0-9.]+", status);
    }
}
