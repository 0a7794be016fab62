namespace Alrs.Learning.Data;

/// <summary>
/// Where datasets live on disk: <c>&lt;data-dir&gt;/&lt;name&gt;/</c> (mnist, fashion-mnist,
/// cifar10). The default data directory is $ALRS_DATA_DIR, else
/// $XDG_CACHE_HOME/alrs/datasets, else ~/.cache/alrs/datasets.
/// </summary>
public static class DataDirectory
{
    public static string Default =>
        Environment.GetEnvironmentVariable("ALRS_DATA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(UserCache.Root, "datasets");

    /// <summary>The directory a dataset is installed in by <c>alrs data fetch</c>.</summary>
    public static string InstallDirectory(DatasetInfo dataset, string dataDir) => Path.Combine(dataDir, dataset.Name);

    /// <summary>Whether <see cref="Resolve"/> finds <paramref name="dataset"/> in <paramref name="dataDir"/>.</summary>
    public static bool Holds(DatasetInfo dataset, string dataDir) =>
        Directory.Exists(InstallDirectory(dataset, dataDir)) ||
        (Directory.Exists(dataDir) && dataset.Files.All(f => DatasetInfo.Locate(dataDir, f) is not null));

    /// <summary>
    /// The directory holding <paramref name="dataset"/>'s files: <c>dataDir/name</c>, or
    /// <paramref name="dataDir"/> itself when it holds them directly (a data directory
    /// pointed straight at one dataset). Throws naming the directory and the fetch command.
    /// </summary>
    public static string Resolve(DatasetInfo dataset, string dataDir)
    {
        var own = InstallDirectory(dataset, dataDir);
        if (Directory.Exists(own)) return own;
        if (Holds(dataset, dataDir)) return dataDir;
        throw new InputException(
            $"dataset {dataset.Name} not found: no directory {own} (nor its files in {dataDir}); " +
            $"run `alrs data fetch {dataset.Name} --data-dir {dataDir}`");
    }
}
