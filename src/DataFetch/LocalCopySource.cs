using Alrs.Learning.Data;
using Alrs.Learning;

namespace Alrs.DataFetch;

/// <summary>
/// A copy of a dataset already on this machine (<c>alrs data fetch NAME --from PATH</c>):
/// a directory holding the dataset's files (for CIFAR-10 also one holding
/// cifar-10-batches-bin/), or for CIFAR-10 the official tarball itself.
/// </summary>
public sealed class LocalCopySource(string path) : IDatasetSource
{
    public string Description => $"local copy {path}";

    public Task<string> AcquireAsync(DatasetInfo dataset, string scratch, TextWriter log, CancellationToken cancellation)
    {
        if (File.Exists(path))
        {
            if (dataset.Id != DatasetId.Cifar10)
                throw new InputException($"--from {path}: expected a directory holding the {dataset.Name} files ({string.Join(", ", dataset.Files)})");
            return Task.FromResult(Cifar10Tarball.VerifyAndExtract(path, scratch, log));
        }
        if (!Directory.Exists(path)) throw new InputException($"--from {path}: no such file or directory");

        var nested = Path.Combine(path, Cifar10Tarball.Folder);
        var directory = dataset.Id == DatasetId.Cifar10 && Directory.Exists(nested) ? nested : path;
        var missing = dataset.Files.Where(f => DatasetInfo.Locate(directory, f) is null).ToList();
        if (missing.Count > 0)
            throw new InputException($"--from {directory}: lacks {string.Join(", ", missing)} of the {dataset.Name} dataset");
        log.WriteLine($"  copying from {directory}");
        return Task.FromResult(directory);
    }
}
