namespace Alrs.Learning;

/// <summary>
/// The per-user cache alrs keeps between runs: $XDG_CACHE_HOME/alrs, else ~/.cache/alrs.
/// Datasets live in its <c>datasets/</c>, cached baseline runs in <c>baselines/</c>.
/// </summary>
public static class UserCache
{
    public static string Root => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "alrs");
}
