using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Alrs.Learning;
using Alrs.Learning.Baselines;
using Alrs.Reporting;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Torch;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs baselines</c>: runs every schedule of the grid (constants, step decays, cosines,
/// knee schedules, hypergradient descent, the probe tuner) for several episode seeds, prints
/// a line per run and a table of the constants and the best of each other family (by mean
/// final validation loss), and writes
/// <c>summary.json</c> plus one CSV trace per run. Defaults come from hocon (alrs.env,
/// alrs.baselines); flags override them.
/// </summary>
public sealed class BaselinesCommand(TextWriter? output = null, string? hoconDirectory = null) : ICommand
{
    /// <summary>Flags and the HOCON paths they override.</summary>
    static readonly Dictionary<string, string> FlagPaths = new()
    {
        ["dataset"] = "alrs.env.dataset",
        ["arch"] = "alrs.env.arch",
        ["steps"] = "alrs.env.steps",
        ["batch-size"] = "alrs.env.batch-size",
        ["device"] = "alrs.env.device",
        ["data-dir"] = "alrs.data.dir",
        ["seeds"] = "alrs.baselines.seeds",
        ["validation-samples"] = "alrs.baselines.validation-samples",
        ["out"] = "alrs.baselines.out",
        ["seed"] = "alrs.env.seed",
        ["dataset-path"] = ProblemFlags.PathKey,
        ["format"] = ProblemFlags.FormatKey,
    };

    public string Name => "baselines";

    public string Synopsis =>
        "[--preset P] [--config FILE] [--dataset D | --dataset-path PATH --format csv|idx|image-folder] [--arch A] [--steps N] [--batch-size B] [--seeds K] [--seed S] [--validation-samples V] [--families F,G] [--shortlist SUMMARY] [--data-dir DIR] [--no-fetch] [--out DIR] [--device DEV]   hand-designed schedule baselines";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, [.. FlagPaths.Keys, "preset", "config", "shortlist", "families"], [DatasetAutoFetch.NoFetchSwitch]);
        if (arguments.Positional.Count > 0) throw new UsageException($"unexpected argument '{arguments.Positional[0]}'");
        var overrides = arguments.Options.Where(o => FlagPaths.ContainsKey(o.Key)).ToDictionary(o => FlagPaths[o.Key], o => o.Value);
        if (arguments.Has(DatasetAutoFetch.NoFetchSwitch)) overrides.Add(DatasetAutoFetch.NoFetchOverride.Key, DatasetAutoFetch.NoFetchOverride.Value);
        ProblemFlags.Apply(arguments, overrides);
        var config = AlrsConfig.Load(arguments.Get("preset"), overrides, hoconDirectory, arguments.Get("config"));

        var problem = ExperimentSettings.Problem(config);
        var runs = ExperimentSettings.BaselineRuns(config);
        if (arguments.Get("families") is { } families)
            runs = runs with { Grid = runs.Grid with { Families = ExperimentSettings.Families(families.Split(','), "--families") } };
        // Baselines are evaluation episodes: no noise, and their own per-decision validation size.
        var settings = ExperimentSettings.Environment(config) with { Evaluation = true, ValidationSamples = runs.ValidationSamples };
        var outDir = Path.GetFullPath(string.IsNullOrWhiteSpace(runs.Out) ? Path.Combine("runs", $"baselines-{problem.DatasetName}-{problem.Architecture}") : runs.Out);
        var log = output ?? Console.Out;

        TorchRuntime.EnsureLoadable();
        var clock = Stopwatch.StartNew();
        await DatasetAutoFetch.EnsureAsync(config, problem, Name, log, cancellation);
        log.WriteLine($"baselines: loading {problem.DatasetName} from {problem.Source} ...");
        using var data = problem.Load();
        using var environment = new LearningRateEnvironment(data, problem.Network, settings);
        var schedules = runs.Grid.All(settings);
        if (arguments.Get("shortlist") is { } shortlist) schedules = Shortlist(shortlist, problem, settings, schedules);
        var seeds = Enumerable.Range(0, runs.Seeds).Select(i => settings.Seed + i).ToArray();
        log.WriteLine($"baselines: {problem.DatasetName}/{problem.Architecture}, {schedules.Count} schedules x {seeds.Length} seeds, " +
                      $"{settings.Steps} steps of batch {settings.BatchSize}, {settings.ValidationSamples} validation images per decision, device {settings.Device}");

        var summary = BaselineSummary.Collect(environment, schedules, seeds, (done, total, run) =>
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{done,3}/{total}] {run.Schedule.Name} seed {run.Seed}: val loss {run.FinalValidation.Loss:F4}, test loss {run.Test.Loss:F4}, " +
                $"test acc {run.Test.Accuracy:P2}{(run.Diverged ? " DIVERGED" : "")}{(run.ChildSteps != run.KeptSteps ? $", {run.ChildSteps} child steps for {run.KeptSteps} kept" : "")} " +
                $"({run.Elapsed.TotalSeconds:F1} s)")), cancellation);

        WriteTable(log, summary);
        Directory.CreateDirectory(outDir);
        EvaluationWriter.WriteTraces(outDir, summary.Schedules.SelectMany(s => s.Runs));
        EvaluationWriter.WriteSummary(outDir, problem, settings, seeds, summary, clock.Elapsed);
        DataRecord.Write(outDir, problem, data);
        log.WriteLine($"baselines: wrote {Path.Combine(outDir, "summary.json")} and traces/ in {clock.Elapsed.TotalSeconds:F0} s");
        return CommandRouter.Ok;
    }

    /// <summary>
    /// The best of each family of <paramref name="grid"/> in an earlier run's summary.json:
    /// grid selection on some seeds, then a report on others. Constant, step decay and cosine
    /// must be in the summary when the grid has them; a later family (knee, hypergradient,
    /// probe) is shortlisted when the summary has it.
    /// </summary>
    internal static IReadOnlyList<ILearningRateSchedule> Shortlist(string path, ChildProblem problem, EnvironmentSettings settings, IReadOnlyList<ILearningRateSchedule> grid)
    {
        var file = Path.GetFullPath(Directory.Exists(path) ? Path.Combine(path, EvaluationWriter.SummaryFile) : path);
        var earlier = EvaluationSummary.Read(file);
        if (earlier.Dataset != problem.DatasetName || earlier.Architecture != problem.Architecture || earlier.Steps != settings.Steps)
            throw new InputException($"--shortlist {path}: selected on {earlier.Dataset}/{earlier.Architecture} with {earlier.Steps} steps, " +
                                     $"not {problem.DatasetName}/{problem.Architecture} with {settings.Steps}");
        var chosen = new List<ILearningRateSchedule>();
        string[] required = [BaselineGrid.Constant, BaselineGrid.StepDecay, BaselineGrid.Cosine];
        foreach (var family in grid.Select(s => s.Family).Distinct())
        {
            var name = earlier.BestOf(family)?.Name;
            if (name is null && !required.Contains(family)) continue;
            if (name is null) throw new InputException($"--shortlist {path}: the summary holds no {family} schedule");
            chosen.Add(grid.FirstOrDefault(s => s.Name == name)
                       ?? throw new InputException($"--shortlist {path}: {name} is not in this configuration's alrs.baselines grid"));
        }
        return chosen;
    }

    static void WriteTable(TextWriter log, BaselineSummary summary)
    {
        var rows = summary.Highlights();
        var width = Math.Max(8, rows.Max(r => r.Label.Length));
        log.WriteLine();
        log.WriteLine($"{"schedule".PadRight(width)}  {"test loss (mean ± std)",-24}  {"test accuracy (mean ± std)",-26}  child steps (kept)");
        foreach (var (label, s) in rows)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label.PadRight(width)}  {$"{s.MeanTestLoss:F4} ± {s.StdTestLoss:F4}",-24}  {$"{s.MeanTestAccuracy * 100:F2}% ± {s.StdTestAccuracy * 100:F2}%",-26}  {s.MeanChildSteps:F0} ({s.MeanKeptSteps:F0})"));
        log.WriteLine();
    }
}
