using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Alrs.Learning;

namespace Alrs.Reporting;

/// <summary>One evaluation episode of a schedule as listed in summary.json.</summary>
public sealed record EvaluatedRun(int Seed, double TestLoss, double TestAccuracy, string? Trace)
{
    /// <summary>Read from the baseline cache rather than trained by the command that wrote the summary.</summary>
    public bool Cached { get; init; }
}

/// <summary>One schedule of summary.json: its family, means over seeds, and its runs.</summary>
public sealed record EvaluatedSchedule(
    string Name, string Family, double MeanValidationLoss,
    double MeanTestLoss, double StdTestLoss, double MeanTestAccuracy, double StdTestAccuracy,
    IReadOnlyList<EvaluatedRun> Runs)
{
    /// <summary>Mean child steps trained per run, probes included (NaN in summaries written before it was recorded).</summary>
    public double MeanChildSteps { get; init; } = double.NaN;
    /// <summary>Mean child steps of the kept trajectory (NaN when not recorded).</summary>
    public double MeanKeptSteps { get; init; } = double.NaN;

    /// <summary>"" when every run was trained, " (cached)" when all came from the baseline cache, " (cached k/n)" when some did.</summary>
    [JsonIgnore]
    public string CacheNote => Runs.Count(r => r.Cached) is var cached && cached == 0 ? "" : cached == Runs.Count ? " (cached)" : $" (cached {cached}/{Runs.Count})";

    /// <summary>The family's selection key: mean final validation loss, non-finite last.</summary>
    [JsonIgnore]
    public double SelectionLoss => double.IsFinite(MeanValidationLoss) ? MeanValidationLoss : double.PositiveInfinity;
}

/// <summary>A row of the test table: its label and the schedule it reports (null when that is not in the file).</summary>
public sealed record TestTableRow(string Label, EvaluatedSchedule? Schedule);

/// <summary>
/// <c>summary.json</c> as <c>alrs baselines</c>, <c>alrs evaluate</c> and <c>alrs train</c>
/// write it: the evaluated schedules, one of family <c>learned</c> for a trained policy
/// (docs/run-directory.md). Fields the report does not need are ignored; missing numbers
/// read as NaN.
/// </summary>
public sealed record EvaluationSummary(
    string? Dataset, string? Architecture, int? Steps, IReadOnlyList<int> Seeds,
    IReadOnlyList<EvaluatedSchedule> Schedules, string? BestStepDecay, string? BestCosine,
    IReadOnlyList<TestTableRow> Table)
{
    /// <summary>The best schedule's name per family as summary.json's <c>best</c> object names it (keys: family names, <c>stepDecay</c> for step-decay).</summary>
    public IReadOnlyDictionary<string, string> BestNames { get; init; } = new Dictionary<string, string>();

    /// <summary>libtorch's thread count the child networks ran with (null in summaries written before it was recorded).</summary>
    public int? Threads { get; init; }

    /// <summary>The processor the child networks ran on (null in summaries written before it was recorded).</summary>
    public string? Cpu { get; init; }

    public const string LearnedFamily = "learned";

    public EvaluatedSchedule? Find(string? name) => name is null ? null : Schedules.FirstOrDefault(s => s.Name == name);

    /// <summary>The family's best schedule: the one summary.json names, else the lowest mean validation loss.</summary>
    public EvaluatedSchedule? BestOf(string family)
    {
        var named = family switch
        {
            "step-decay" => Find(BestStepDecay),
            "cosine" => Find(BestCosine),
            _ => Find(BestNames.GetValueOrDefault(family)),
        };
        return named ?? Schedules.Where(s => s.Family == family).OrderBy(s => s.SelectionLoss).FirstOrDefault();
    }

    public EvaluatedSchedule? Learned => Schedules.FirstOrDefault(s => s.Family == LearnedFamily);

    /// <exception cref="InputException">Missing file or not the expected JSON.</exception>
    public static EvaluationSummary Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path} does not exist");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schedules", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new InputException($"{path} has no 'schedules' array: not an alrs evaluation summary");
            var schedules = list.EnumerateArray().Select(s => ReadSchedule(path, s)).ToList();

            var best = Object(root, "best");
            var table = root.TryGetProperty("table", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(row => new TestTableRow(Text(row, "label") ?? "", schedules.FirstOrDefault(s => s.Name == Text(row, "schedule")))).ToList()
                : [];
            return new EvaluationSummary(
                Text(root, "dataset"), Text(root, "arch"), root.TryGetProperty("steps", out var steps) && steps.ValueKind == JsonValueKind.Number ? steps.GetInt32() : null,
                root.TryGetProperty("seeds", out var seeds) && seeds.ValueKind == JsonValueKind.Array ? seeds.EnumerateArray().Select(s => s.GetInt32()).ToList() : [],
                schedules,
                best is { } b1 ? Text(b1, "stepDecay") : null,
                best is { } b2 ? Text(b2, "cosine") : null,
                table)
            {
                BestNames = best is { } b3
                    ? b3.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
                    : new Dictionary<string, string>(),
                Threads = root.TryGetProperty("threads", out var threads) && threads.ValueKind == JsonValueKind.Number ? threads.GetInt32() : null,
                Cpu = root.TryGetProperty("cpu", out var cpu) && cpu.ValueKind == JsonValueKind.String ? cpu.GetString() : null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InputException($"{path} is not a readable evaluation summary: {e.Message}", e);
        }
    }

    static EvaluatedSchedule ReadSchedule(string path, JsonElement s)
    {
        var name = Text(s, "name") ?? throw new InputException($"{path}: a schedule has no 'name'");
        var runs = s.TryGetProperty("runs", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(run => new EvaluatedRun(
                run.TryGetProperty("seed", out var seed) ? seed.GetInt32() : 0,
                Number(run, "testLoss"), Number(run, "testAccuracy"), Text(run, "trace"))
            {
                Cached = run.TryGetProperty("cached", out var cached) && cached.ValueKind == JsonValueKind.True,
            }).ToList()
            : [];
        return new EvaluatedSchedule(name, Text(s, "family") ?? "", Number(s, "meanValidationLoss"),
            Number(s, "meanTestLoss"), Number(s, "stdTestLoss"), Number(s, "meanTestAccuracy"), Number(s, "stdTestAccuracy"), runs)
        {
            MeanChildSteps = Number(s, "meanChildSteps"),
            MeanKeptSteps = Number(s, "meanKeptSteps"),
        };
    }

    static JsonElement? Object(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A number, or one written as a string ("NaN", "Infinity": how diverged runs are serialised).</summary>
    static double Number(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value)) return double.NaN;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => double.NaN,
        };
    }
}
