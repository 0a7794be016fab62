using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Commands;

/// <summary>
/// The flags naming a data set of one's own, shared by train, baselines, evaluate, seed and
/// worker: <c>--dataset-path</c> and <c>--format</c> (docs/own-problem.md).
/// </summary>
public static class ProblemFlags
{
    public const string PathKey = "alrs.env.dataset-path", FormatKey = "alrs.env.dataset-format";

    /// <summary>The flags and the HOCON paths they override.</summary>
    public static IReadOnlyDictionary<string, string> Paths { get; } = new Dictionary<string, string>
    {
        ["dataset-path"] = PathKey,
        ["format"] = FormatKey,
    };

    public const string Synopsis = "[--dataset-path PATH --format csv|idx|image-folder]";

    /// <summary>
    /// Refuses <c>--dataset</c> beside <c>--dataset-path</c> (two data sets named), and makes the
    /// path absolute in <paramref name="overrides"/>, so a run's recorded configuration still
    /// finds the data from another working directory (<c>alrs train --resume</c>).
    /// </summary>
    public static void Apply(CommandArguments arguments, IDictionary<string, string> overrides)
    {
        if (arguments.Has("dataset") && arguments.Has("dataset-path"))
            throw new UsageException("--dataset and --dataset-path name two data sets: give one");
        if (arguments.Get("dataset-path") is { } path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new UsageException("--dataset-path must not be empty");
            overrides[PathKey] = Path.GetFullPath(path);
        }
    }
}
