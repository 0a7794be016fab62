namespace Alrs.Tests.Shared;

/// <summary>
/// Where tests find real datasets. MNIST and Fashion-MNIST: <c>ALRS_DATA_DIR</c>, else the
/// per-user cache, which <see cref="Alrs.Tests.Shared.TestDatasets"/> fills on first use.
/// CIFAR-10: the shared real subset beside the repository (../shared/datasets/cifar10-subset).
/// </summary>
public static class TestData
{
    public static string DataDir =>
        Environment.GetEnvironmentVariable("ALRS_DATA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache
                ? cache
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "alrs", "datasets");

    /// <summary>The repository root: the first ancestor of the test binaries holding Actors.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
            throw new InvalidOperationException($"no Actors.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string Cifar10Subset => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets", "cifar10-subset"));
}
