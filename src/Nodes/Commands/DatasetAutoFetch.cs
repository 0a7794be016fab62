using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Data;
using Alrs.DataFetch;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// Fetches a run's dataset before it is loaded when it is not in the data directory
/// (<c>alrs.data.auto-fetch</c>, default on; <c>--no-fetch</c> turns it off), so the main job
/// needs no earlier <c>alrs data fetch</c>. With it off, the loader's missing-dataset error
/// (exit 2) stands. A failed fetch is a <see cref="FetchException"/> (exit 1).
/// </summary>
public static class DatasetAutoFetch
{
    public const string Key = "alrs.data.auto-fetch";

    /// <summary>The switch of train, baselines, evaluate, seed and worker.</summary>
    public const string NoFetchSwitch = "no-fetch";

    /// <summary>The override <c>--no-fetch</c> stands for.</summary>
    public static KeyValuePair<string, string> NoFetchOverride => new(Key, "off");

    public static bool Enabled(Config config)
    {
        var text = config.HasPath(Key) ? config.GetString(Key)?.Trim().ToLowerInvariant() : "on";
        return text switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw new InputException($"{Key} must be on or off, got '{text}'"),
        };
    }

    /// <summary>Fetches <paramref name="problem"/>'s dataset if it is missing and auto-fetch is on; progress goes to <paramref name="log"/>.</summary>
    public static async Task EnsureAsync(Config config, ChildProblem problem, string command, TextWriter log, CancellationToken cancellation)
    {
        var enabled = Enabled(config);
        // A data set of one's own is read where it lies; there is nothing to fetch.
        if (problem.Dataset is null || DataDirectory.Holds(problem.Dataset, problem.DataDir) || !enabled) return;
        log.WriteLine($"{command}: {problem.Dataset.Name} is not in {problem.DataDir}; fetching it as `alrs data fetch {problem.Dataset.Name}` would " +
                      $"(--{NoFetchSwitch} or {Key} = off turns this off)");
        await DatasetFetcher.FetchAsync(problem.Dataset, problem.DataDir, DatasetFetcher.DefaultSource(problem.Dataset), log, cancellation);
    }
}
