using System.Diagnostics;
using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>
/// Files shipped inside a Debian package, fetched with <c>apt-get download</c> (no root
/// needed; apt checks the package against the signed archive) and unpacked with
/// <c>dpkg-deb -x</c>. Fashion-MNIST's official .gz files ship in dataset-fashion-mnist.
/// On a fresh machine apt knows no package until its lists are fetched; then this source
/// fetches them once into a private directory in its scratch space (no root, the system's
/// lists untouched) and downloads from those.
/// </summary>
public sealed class DebianPackageSource(string package, string folder, AptLists? systemLists = null) : IDatasetSource
{
    public static DebianPackageSource FashionMnist { get; } = new("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist");

    /// <summary>The lists tried first: the system's, or (in tests) an empty directory standing for a fresh machine's.</summary>
    readonly AptLists first = systemLists ?? AptLists.System;

    public string Description => $"Debian package {package}";

    public async Task<string> AcquireAsync(DatasetInfo dataset, string scratch, TextWriter log, CancellationToken cancellation)
    {
        log.WriteLine($"  running apt-get download {package} ...");
        var watch = Stopwatch.StartNew();
        var download = await DownloadAsync(first, scratch, cancellation);
        if (download.ExitCode != 0 && AptLists.SaysPackageUnknown(download.Error + download.Output))
        {
            var own = new AptLists(Path.Combine(scratch, "apt-lists"));
            log.WriteLine($"  apt does not know {package} (its package lists were never fetched): fetching them once into {own.Directory}, leaving the system's lists alone");
            Directory.CreateDirectory(own.Directory!);
            var update = await ExternalCommand.RunAsync("apt-get", [.. own.Options, "update"], scratch,
                "fetching this dataset needs apt-get (Debian or Ubuntu)", cancellation);
            if (update.ExitCode != 0)
                throw new FetchException($"apt did not know {package} and apt-get update into a private list directory failed (exit {update.ExitCode}): {update.Tail()}");
            watch.Restart();
            download = await DownloadAsync(own, scratch, cancellation);
        }
        if (download.ExitCode != 0)
        {
            var hint = AptLists.SaysPackageUnknown(download.Error + download.Output)
                ? "; Debian's package lists do not have it either: check apt's sources (/etc/apt/sources.list*) name a Debian release that ships it"
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

    Task<ExternalCommand.Result> DownloadAsync(AptLists lists, string scratch, CancellationToken cancellation) =>
        ExternalCommand.RunAsync("apt-get", [.. lists.Options, "download", package], scratch,
            "fetching this dataset needs apt-get (Debian or Ubuntu)", cancellation);
}
