using System.Diagnostics;
using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Baselines;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Evaluation;
using Alrs.Learning.Ppo;
using Alrs.Reporting;
using Alrs.Torch;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs evaluate --policy FILE|DIR</c>: runs a learned policy deterministically on
/// evaluation episodes (no noise) for several seeds and reports its final test loss and
/// accuracy (mean ± std) beside the constant schedule at the environment's initial rate on
/// the same seeds, and beside the rows of an <c>alrs baselines</c> summary when
/// <c>--baselines</c> names one. Writes them as a run's evaluation directory
/// (docs/run-directory.md): <c>summary.json</c> and one CSV trace per run.
/// </summary>
/// <remarks>
/// The environment comes from hocon (alrs.env, with --preset and flags) and must match the
/// policy's observation and action shapes. Seeds and the per-decision validation size are
/// the baselines' (alrs.baselines.seeds, alrs.baselines.validation-samples), so the two
/// commands compare like with like. A train run directory given to --policy is read through
/// its policy store (the newest committed version, or the best with <c>--stored best</c>), so
/// an interrupted run can be evaluated; any other directory is searched for the newest
/// <c>*.alrspol</c> file. <c>--initial-lr R</c> starts every episode at R (the policy and the
/// constant row alike) instead of drawing from alrs.env.initial-lr-choices.
/// </remarks>
public sealed class EvaluateCommand(TextWriter? output = null, string? hoconDirectory = null) : ICommand
{
    /// <summary>File extension of a policy blob written to disk.</summary>
    public const string PolicyExtension = ".alrspol";

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
        ["seed"] = "alrs.env.seed",
        ["initial-lr"] = "alrs.env.initial-lr",
        ["dataset-path"] = ProblemFlags.PathKey,
        ["format"] = ProblemFlags.FormatKey,
    };

    public string Name => "evaluate";

    public string Synopsis =>
        "--policy FILE|DIR [--stored latest|best] [--preset P] [--config FILE] [--dataset D | --dataset-path PATH --format csv|idx|image-folder] [--arch A] [--steps N] [--batch-size B] [--seeds K] [--seed S] [--initial-lr R] [--validation-samples V] [--data-dir DIR] [--no-fetch] [--baselines SUMMARY] [--out DIR] [--device DEV]   evaluate a learned policy beside baselines";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, [.. FlagPaths.Keys, "policy", "stored", "baselines", "out", "preset", "config"], [DatasetAutoFetch.NoFetchSwitch]);
        if (arguments.Positional.Count > 0) throw new UsageException($"unexpected argument '{arguments.Positional[0]}'");
        var policyPath = arguments.Get("policy") ?? throw new UsageException("--policy is required: a policy blob file or a run directory");
        var overrides = arguments.Options.Where(o => FlagPaths.ContainsKey(o.Key)).ToDictionary(o => FlagPaths[o.Key], o => o.Value);
        if (arguments.Has(DatasetAutoFetch.NoFetchSwitch)) overrides.Add(DatasetAutoFetch.NoFetchOverride.Key, DatasetAutoFetch.NoFetchOverride.Value);
        ProblemFlags.Apply(arguments, overrides);
        var config = AlrsConfig.Load(arguments.Get("preset"), overrides, hoconDirectory, arguments.Get("config"));
        // A fixed initial rate replaces the preset's draw from a list.
        if (arguments.Has("initial-lr")) config = ConfigurationFactory.ParseString("alrs.env.initial-lr-choices = []").WithFallback(config);
        var stored = arguments.Get("stored");

        var problem = ExperimentSettings.Problem(config);
        var runs = ExperimentSettings.BaselineRuns(config);
        var settings = ExperimentSettings.Environment(config) with { Evaluation = true, ValidationSamples = runs.ValidationSamples };
        var outDir = Path.GetFullPath(arguments.Get("out") ?? Path.Combine("runs", $"evaluate-{problem.DatasetName}-{problem.Architecture}"));
        var (baselineRows, baselineThreads, baselineCpu) = arguments.Get("baselines") is { } baselinesPath ? ReadBaselines(baselinesPath, outDir) : ([], null, null);
        var log = output ?? Console.Out;

        TorchRuntime.EnsureLoadable();
        if (baselineThreads is { } theirs && theirs != TorchSharp.torch.get_num_threads())
            log.WriteLine($"evaluate: warning: --baselines ran its children with {theirs} libtorch threads, this evaluation runs with {TorchSharp.torch.get_num_threads()}; " +
                          $"the child's losses depend on the thread count (by a few 1e-3), so the paired differences carry that too (set OMP_NUM_THREADS={theirs} for both)");
        if (baselineCpu is { } theirCpu && theirCpu != Alrs.Torch.Processor.Identity())
            log.WriteLine($"evaluate: warning: --baselines ran on {theirCpu}, this evaluation runs on {Alrs.Torch.Processor.Identity()}; " +
                          "libtorch's kernels differ by processor, so the paired differences carry that too (run both on one machine)");
        var clock = Stopwatch.StartNew();
        var (policyName, blob, storedVersion) = await LoadPolicy(policyPath, stored, cancellation);
        using var agent = PpoAgent.FromBlob(blob);
        if (agent.Spec is { } spec)
        {
            PolicySpecCheck.RefuseContradictions(spec, AlrsConfig.Load(arguments.Get("preset"), overrides, hoconDirectory, arguments.Get("config"), withDefaults: false), policyName);
            settings = spec.ApplyTo(settings);
        }
        await DatasetAutoFetch.EnsureAsync(config, problem, Name, log, cancellation);
        log.WriteLine($"evaluate: policy {policyName} ({agent.Updates} updates; {agent.Spec?.ToString() ?? "no recorded controller spec: the configuration's"}), loading {problem.DatasetName} from {problem.Source} ...");
        using var data = problem.Load();
        using var environment = new LearningRateEnvironment(data, problem.Network, settings);
        PolicyEvaluator.CheckCompatible(agent, environment);
        // Transfer to another problem is allowed (the features are the same), but never silent.
        var evaluatedOn = TrainedProblem.Of(data, problem.Network);
        if (agent.Problem is { } trainedOn && trainedOn.Difference(evaluatedOn) is { } difference)
            log.WriteLine($"evaluate: the policy was trained on {trainedOn}; this evaluation is on {evaluatedOn} ({difference}): a transfer to another problem");
        else if (agent.Problem is null)
            log.WriteLine("evaluate: the policy records no problem it was trained on (written before alrs recorded it)");
        var seeds = Enumerable.Range(0, runs.Seeds).Select(i => settings.Seed + i).ToArray();
        log.WriteLine($"evaluate: {problem.DatasetName}/{problem.Architecture}, {seeds.Length} seeds, {settings.Steps} steps of batch {settings.BatchSize}, " +
                      $"{settings.ValidationSamples} validation images per decision, device {settings.Device}");

        var evaluation = PolicyEvaluator.Evaluate(agent, environment, seeds, (done, total, run) =>
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{done,3}/{total}] policy seed {run.Seed}: val loss {run.FinalValidation.Loss:F4}, test loss {run.Test.Loss:F4}, " +
                $"test acc {run.Test.Accuracy:P2}, final lr {run.Trace[^1].LearningRate:G3}{(run.Diverged ? " DIVERGED" : "")} ({run.Elapsed.TotalSeconds:F1} s)")),
            cancellation);
        var constant = new ConstantSchedule(settings.InitialLearningRate);
        // The constant at the start on the same seeds: taken from --baselines when that summary
        // has it on every evaluation seed (a baseline grid always holds its constants), else run here.
        var reused = baselineRows.FirstOrDefault(r => r.Schedule is { } s && s.Name == constant.Name && seeds.All(seed => s.Runs.Any(run => run.Seed == seed)));
        var constantRuns = reused is null
            ? new ScheduleSummary(constant, seeds.Select(seed => BaselineRunner.Run(environment, constant, seed, cancellation)).ToArray())
            : null;
        if (reused is not null) log.WriteLine($"evaluate: {constant.Name} on these seeds comes from --baselines (not run again)");

        var learnedLosses = evaluation.Runs.Select(r => (r.Seed, r.Test.Loss)).ToArray();
        IReadOnlyList<ComparisonRow> rows =
        [
            new("policy", evaluation.MeanTestLoss, evaluation.StdTestLoss, evaluation.MeanTestAccuracy, evaluation.StdTestAccuracy, settings.Steps, null),
            .. constantRuns is null ? Array.Empty<ComparisonRow>() : [new($"{constant.Name} (same seeds)", constantRuns.MeanTestLoss, constantRuns.StdTestLoss, constantRuns.MeanTestAccuracy, constantRuns.StdTestAccuracy,
                constantRuns.MeanChildSteps, PairedDifference.Of(learnedLosses, constantRuns.Runs.Select(r => (r.Seed, r.Test.Loss))))],
            .. baselineRows.Select(r => new ComparisonRow(r.Label, r.Schedule!.MeanTestLoss, r.Schedule.StdTestLoss, r.Schedule.MeanTestAccuracy, r.Schedule.StdTestAccuracy,
                r.Schedule.MeanChildSteps, PairedDifference.Of(learnedLosses, r.Schedule.Runs.Select(run => (run.Seed, run.TestLoss))))),
        ];
        WriteTable(log, rows);
        EvaluationWriter.WriteTraces(outDir, evaluation);
        DataRecord.Write(outDir, problem, data);
        if (constantRuns is not null) EvaluationWriter.WriteTraces(outDir, constantRuns.Runs);
        EvaluationWriter.WriteSummary(outDir, problem, settings, seeds, new BaselineSummary(constantRuns is null ? [] : [constantRuns]), clock.Elapsed,
            new LearnedPolicy(null, evaluation, settings.ValidationSamples), baselineRows);
        // A version read from a run's store is written beside its results, so they can be shared and re-run.
        var policyCopy = storedVersion is { } v ? Path.Combine(outDir, $"policy-v{v}{PolicyExtension}") : null;
        if (policyCopy is not null) AtomicFile.WriteAllBytes(policyCopy, blob);
        log.WriteLine($"evaluate: wrote {Path.Combine(outDir, EvaluationWriter.SummaryFile)}{(policyCopy is null ? "" : $", {Path.GetFileName(policyCopy)}")} and traces/ in {clock.Elapsed.TotalSeconds:F0} s");
        return CommandRouter.Ok;
    }

    /// <summary>
    /// The policy to evaluate: from a train run directory's store, else from a blob file (or
    /// the newest one under a directory). Returns a name for the log and the blob.
    /// </summary>
    async Task<(string Name, byte[] Blob, long? StoredVersion)> LoadPolicy(string path, string? stored, CancellationToken cancellation)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full) && File.Exists(Path.Combine(full, RunDirectory.StoreFile)))
        {
            var which = stored ?? "latest";
            var version = await StoredPolicyReader.ReadAsync(full, which, hoconDirectory, cancellation);
            return ($"{which} version v{version.Version} of {Path.Combine(full, RunDirectory.StoreFile)}", version.Blob, version.Version);
        }
        if (stored is not null) throw new UsageException($"--stored needs a train run directory (one with {RunDirectory.StoreFile}); {path} is not one");
        var file = ResolvePolicy(path);
        return (file, ReadPolicy(file), null);
    }

    /// <summary>
    /// A row of the printed table; <paramref name="ChildSteps"/> is the child compute (NaN when the summary did not record it),
    /// <paramref name="Paired"/> the policy against this row on the seeds both ran.
    /// </summary>
    internal sealed record ComparisonRow(string Label, double MeanTestLoss, double StdTestLoss, double MeanTestAccuracy, double StdTestAccuracy, double ChildSteps, PairedDifference? Paired);

    /// <summary>A blob file as given, or the newest *.alrspol under a run directory.</summary>
    internal static string ResolvePolicy(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) return full;
        if (!Directory.Exists(full)) throw new InputException($"--policy {path}: no such file or directory");
        return new DirectoryInfo(full).EnumerateFiles("*" + PolicyExtension, SearchOption.AllDirectories)
                   .OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.FullName, StringComparer.Ordinal)
                   .FirstOrDefault()?.FullName
               ?? throw new InputException($"--policy {path}: the directory holds no *{PolicyExtension} policy file");
    }

    static byte[] ReadPolicy(string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--policy {file}: cannot read it ({e.Message})", e);
        }
    }

    /// <summary>
    /// The table rows (constants, the best of each other family) of an <c>alrs baselines</c>
    /// summary.json (or its directory), their traces relative to <paramref name="outDir"/>, and
    /// the thread count and processor its children ran with when the summary records them.
    /// </summary>
    internal static (IReadOnlyList<TestTableRow> Rows, int? Threads, string? Cpu) ReadBaselines(string path, string outDir)
    {
        var file = Path.GetFullPath(Directory.Exists(path) ? Path.Combine(path, EvaluationWriter.SummaryFile) : path);
        EvaluationSummary summary;
        try
        {
            summary = EvaluationSummary.Read(file);
        }
        catch (InputException e)
        {
            throw new InputException($"--baselines {path}: {e.Message}", e);
        }
        string? Relocated(string? trace) => trace is null ? null : Path.GetRelativePath(outDir, Path.Combine(Path.GetDirectoryName(file)!, trace));
        return (summary.Table.Select(row => row.Schedule is { } s
                ? row with { Schedule = s with { Runs = [.. s.Runs.Select(r => r with { Trace = Relocated(r.Trace) })] } }
                : throw new InputException($"--baselines {file}: its table row '{row.Label}' names no schedule of the file"))
            .ToArray(), summary.Threads, summary.Cpu);
    }

    static void WriteTable(TextWriter log, IReadOnlyList<ComparisonRow> rows)
    {
        var width = Math.Max(8, rows.Max(r => r.Label.Length));
        log.WriteLine();
        log.WriteLine($"{"schedule".PadRight(width)}  {"test loss (mean ± std)",-24}  {"test accuracy (mean ± std)",-26}  {"child steps",11}  policy − this, test loss: mean [95 % CI], paired by seed");
        foreach (var r in rows)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Label.PadRight(width)}  {$"{r.MeanTestLoss:F4} ± {r.StdTestLoss:F4}",-24}  {$"{r.MeanTestAccuracy * 100:F2}% ± {r.StdTestAccuracy * 100:F2}%",-26}  {(double.IsFinite(r.ChildSteps) ? r.ChildSteps.ToString("F0", CultureInfo.InvariantCulture) : ""),11}  {r.Paired?.ToString() ?? ""}").TrimEnd());
        log.WriteLine("(ahead / behind: the policy's test loss is lower / higher with the 95 % interval excluding 0; within noise: it does not; seeds the baseline did not run are left out)");
        log.WriteLine();
    }
}
