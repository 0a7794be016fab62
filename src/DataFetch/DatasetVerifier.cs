using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>
/// Checks a dataset directory without loading it into tensors. MNIST and Fashion-MNIST:
/// every file's SHA-256 against <see cref="PinnedChecksums"/>. CIFAR-10 (no pinned sums,
/// since copies may come from anywhere): every batch is whole records with valid labels,
/// and matches the SHA-256 recorded in <see cref="LocalManifest"/> when the copy was installed.
/// </summary>
public static class DatasetVerifier
{
    public const string LocalManifest = "SHA256SUMS";

    public sealed record FileCheck(string File, bool Ok, string Detail);

    public sealed record Result(string Directory, IReadOnlyList<FileCheck> Files)
    {
        public bool Ok => Files.All(f => f.Ok);
        public IEnumerable<FileCheck> Problems => Files.Where(f => !f.Ok);
    }

    public static Result Verify(DatasetInfo dataset, string directory)
    {
        var recorded = ReadManifest(directory);
        var checks = new List<FileCheck>();
        foreach (var name in dataset.Files)
        {
            var path = DatasetInfo.Locate(directory, name);
            checks.Add(path is null
                ? new FileCheck(name, false, "missing")
                : Check(dataset, name, path, recorded.GetValueOrDefault(Path.GetFileName(path))));
        }
        return new Result(directory, checks);
    }

    static FileCheck Check(DatasetInfo dataset, string name, string path, string? recorded)
    {
        var file = Path.GetFileName(path);
        try
        {
            if (dataset.Id == DatasetId.Cifar10)
            {
                var batch = Cifar10Reader.ReadBatch(path);
                var official = batch.Count == 10000 ? "" : " (a subset: official batches hold 10000)";
                if (recorded is null) return new FileCheck(file, true, $"{batch.Count} records, labels valid{official}");
                var actual = ContentHash.Sha256OfFile(path);
                return actual == recorded
                    ? new FileCheck(file, true, $"{batch.Count} records{official}, sha256 {actual} as recorded at install")
                    : new FileCheck(file, false, $"sha256 {actual} differs from {recorded} recorded at install");
            }

            var pinned = PinnedChecksums.For(dataset.Id, name) ?? throw new InvalidOperationException($"no checksum pinned for {dataset.Name}/{name}");
            var content = ContentHash.Sha256OfContent(path);
            return content == pinned
                ? new FileCheck(file, true, $"sha256 {content} ok")
                : new FileCheck(file, false, $"sha256 {content} differs from the pinned {pinned}");
        }
        catch (Exception e) when (e is DatasetException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            var prefix = path + ": ";
            return new FileCheck(file, false, e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message);
        }
    }

    /// <summary>Writes the SHA-256 of each file into <see cref="LocalManifest"/> (sha256sum format), for datasets without pinned sums.</summary>
    public static void WriteManifest(DatasetInfo dataset, string directory)
    {
        var lines = dataset.Files
            .Select(f => DatasetInfo.Locate(directory, f) ?? throw new FileNotFoundException($"{Path.Combine(directory, f)} missing"))
            .Select(path => $"{ContentHash.Sha256OfFile(path)}  {Path.GetFileName(path)}");
        File.WriteAllLines(Path.Combine(directory, LocalManifest), lines);
    }

    static Dictionary<string, string> ReadManifest(string directory)
    {
        var path = Path.Combine(directory, LocalManifest);
        if (!File.Exists(path)) return [];
        return File.ReadAllLines(path)
            .Select(line => line.Split("  ", 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[1].Trim(), parts => parts[0].Trim());
    }
}
