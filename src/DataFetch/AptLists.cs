namespace Alrs.DataFetch;

/// <summary>
/// Which package lists an apt-get call reads: the system's (<see cref="System"/>, whatever
/// <c>apt-get update</c> last fetched into /var/lib/apt/lists) or a private directory that
/// alrs fills itself. A private directory needs no root and leaves the machine's apt state
/// alone: apt's binary caches are turned off so nothing under /var/cache/apt is rewritten.
/// </summary>
public sealed record AptLists(string? Directory)
{
    public static AptLists System { get; } = new((string?)null);

    /// <summary>The <c>-o</c> options that point apt-get at these lists (none for the system's).</summary>
    public IReadOnlyList<string> Options => Directory is null
        ? []
        : ["-o", $"Dir::State::Lists={Directory}", "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache="];

    /// <summary>
    /// Whether apt-get's output says it does not know a package at all, which on a fresh
    /// machine means its lists were never fetched (not that the download itself failed).
    /// </summary>
    public static bool SaysPackageUnknown(string aptOutput) =>
        aptOutput.Contains("Unable to locate package", StringComparison.Ordinal) ||
        aptOutput.Contains("no installation candidate", StringComparison.Ordinal);
}
