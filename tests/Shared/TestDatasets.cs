using System.Collections.Concurrent;
using Alrs.Learning.Data;
using Alrs.DataFetch;

namespace Alrs.Tests.Shared;

/// <summary>
/// The real datasets the tests read, from the per-user cache (<see cref="DataDirectory.Default"/>:
/// <c>ALRS_DATA_DIR</c>, else ~/.cache/alrs/datasets). The first test that asks for a dataset
/// fetches it there the way <c>alrs data fetch</c> does, so <c>dotnet test</c> needs no earlier
/// step; later ones, and later runs, only find it. Linked into every test project that reads data.
/// </summary>
public static class TestDatasets
{
    static readonly ConcurrentDictionary<DatasetId, Lazy<string>> Ready = new();

    /// <summary>The data directory holding <paramref name="id"/>, fetched into it first if it is missing.</summary>
    public static string DataDirWith(DatasetId id) =>
        Ready.GetOrAdd(id, _ => new Lazy<string>(() => Fetch(DatasetInfo.Of(id)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    static string Fetch(DatasetInfo dataset)
    {
        var dataDir = DataDirectory.Default;
        if (Directory.Exists(DataDirectory.InstallDirectory(dataset, dataDir))) return dataDir;
        Directory.CreateDirectory(dataDir);
        // dotnet test runs the test projects as parallel processes: one of them fetches, the others wait for it.
        using (ExclusiveLock(Path.Combine(dataDir, $".test-fetch-{dataset.Name}.lock")))
        {
            if (!Directory.Exists(DataDirectory.InstallDirectory(dataset, dataDir)))
            {
                var log = new StringWriter();
                try
                {
                    DatasetFetcher.FetchAsync(dataset, dataDir, DatasetFetcher.DefaultSource(dataset), log, CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException($"the tests need {dataset.Name} in {dataDir} and fetching it failed: {e.Message}\n{log}", e);
                }
            }
        }
        return dataDir;
    }

    /// <summary>An exclusively opened lock file; another process holding it is waited for (a fetch takes seconds to minutes).</summary>
    static FileStream ExclusiveLock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(15);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
