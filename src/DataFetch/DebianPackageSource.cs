using System.Diagnostics;
using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>
/// Files shipped inside a Debian package, fetched with <c>apt-get download</c> (no root
/// needed; apt checks the package against the signed archive) and unpacked with
/// <c>dpkg-deb -x</c>. Fashion-MNIST's official .gz files ship in dataset-fashion-mnist.
/// </summary>
public sealed class DebianPackageSource(string package, string folder) : IDatasetSource
{
    public static DebianPackageSource FashionMnist { get; } = new("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist");

    public string Description => $"Debian package {package}";

    public async Task<string> AcquireAsync(DatasetInfo dataset, string scratch, TextWriter log, CancellationToken cancellation)
    {
        log.WriteLine($"  running apt-get download {package} ...");
        var watch = Stopwatch.StartNew();
        var download = await ExternalCommand.RunAsync("apt-get", ["download", package], scratch,
            "fetching this dataset needs apt-get (Debian or Ubuntu)", cancellation);
        if (download.ExitCode != 0)
        {
            var said = download.Error + download.Output;
            var hint = said.Contains("Unable to locate package", StringComparison.Ordinal) || said.Contains("no installation candidate", StringComparison.Ordinal)
                ? $"; apt does not know the package yet: run `apt-get update` (as root) and try again"
                : "";
            throw new FetchException($"apt-get download {package} failed (exit {download.ExitCode}): {download.Tail()}{hint}");
        }

        var deb = Directory.GetFiles(scratch, $"{package}_*.deb").SingleOrDefault()
            ?? throw new FetchException($"apt-get download {package} produced no .deb in {scratch}");
        log.WriteLine($"  downloaded {Path.GetFileName(deb)}: {TransferRate.Describe(new FileInfo(deb).Length, watch)}");

        var unpacked = Path.Combine(scratch, "unpacked");
        log.WriteLine($"  unpacking {folder}/ ...");
        var extract = await ExternalCommand.RunAsync("dpkg-deb", ["-x", deb, unpacked], scratch,
            "install dpkg (Debian: it is part of the base system)", cancellation);
        if (extract.ExitCode != 0)
            throw new FetchException($"dpkg-deb -x {deb} failed (exit {extract.ExitCode}): {extract.Tail()}");
        var files = Path.Combine(unpacked, folder);
        if (!Directory.Exists(files)) throw new FetchException($"Debian package {package} has no {folder}/");
        return files;
    }
}
