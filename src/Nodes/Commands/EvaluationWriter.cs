using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Alrs.Learning.Baselines;
using Alrs.Learning.Environments;
using Alrs.Learning.Evaluation;
using Alrs.Reporting;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>A trained policy's evaluation, written as the <c>learned</c> schedule of a summary; its version when known.</summary>
public sealed record LearnedPolicy(long? Version, PolicyEvaluation Evaluation, int ValidationSamples);

/// <summary>
/// Writes evaluation results in the run-directory format (docs/run-directory.md): one CSV
/// trace per evaluation episode under <c>traces/</c> and <c>summary.json</c>. Shared by
/// <c>alrs baselines</c>, <c>alrs evaluate</c> and <c>alrs train</c>, so every summary the
/// report reads has one writer.
/// </summary>
public static class EvaluationWriter
{
    public const string SummaryFile = "summary.json", TraceDirectory = "traces";

    /// <summary>A baseline run's trace file: <c>step-decay_lr=0.01_every=20_factor=0.9_seed0.csv</c>.</summary>
    public static string TraceFileName(BaselineRun run) => $"{RunReport.TraceStem(run.Schedule.Name)}_seed{run.Seed}.csv";

    /// <summary>The trained policy's trace file in a run directory: <c>learned_seedK.csv</c>.</summary>
    public static string LearnedTraceFileName(PolicyRun run) => $"{EvaluationSummary.LearnedFamily}_seed{run.Seed}.csv";

    /// <summary>traces/NAME_seedK.csv of every run: step, lr, train_loss, val_loss, val_accuracy per decision.</summary>
    public static void WriteTraces(string outDir, IEnumerable<BaselineRun> runs)
    {
        foreach (var run in runs)
            ScheduleTrace.Write(Path.Combine(outDir, TraceDirectory, TraceFileName(run)),
                run.Trace.Select(t => new TracePoint(t.Step, t.LearningRate, t.TrainLoss, t.ValidationLoss, t.ValidationAccuracy)));
    }

    /// <summary>A policy's traces (the report's columns plus action and reward) at <see cref="LearnedTraceFileName"/>.</summary>
    public static void WriteTraces(string outDir, PolicyEvaluation evaluation)
    {
        var traces = Directory.CreateDirectory(Path.Combine(outDir, TraceDirectory)).FullName;
        foreach (var run in evaluation.Runs)
        {
            var csv = new StringBuilder("step,action,lr,train_loss,val_loss,val_accuracy,reward\n");
            foreach (var t in run.Trace)
                csv.Append(CultureInfo.InvariantCulture,
                    $"{t.Step},{t.Action:R},{t.LearningRate:R},{t.TrainLoss:R},{t.ValidationLoss:R},{t.ValidationAccuracy:R},{t.Reward:R}\n");
            AtomicFile.WriteAllText(Path.Combine(traces, LearnedTraceFileName(run)), csv.ToString());
        }
    }

    /// <summary>
    /// <c>summary.json</c> of the schedules run here, with the trained policy as one more
    /// schedule of family <c>learned</c> when given (its traces are expected at
    /// <see cref="LearnedTraceFileName"/>), and the <paramref name="compared"/> rows of another
    /// summary (<c>alrs evaluate --baselines</c>) as read, except a schedule also run here.
    /// </summary>
    public static void WriteSummary(
        string outDir, ChildProblem problem, EnvironmentSettings settings, int[] seeds, BaselineSummary summary, TimeSpan elapsed,
        LearnedPolicy? learned = null, IReadOnlyList<TestTableRow>? compared = null)
    {
        var ranHere = summary.Schedules.Select(s => s.Schedule.Name).ToHashSet();
        var others = (compared ?? []).Where(r => r.Schedule is { } s && !ranHere.Contains(s.Name)).DistinctBy(r => r.Schedule!.Name).ToList();
        var schedules = summary.Schedules.Select(ScheduleEntry).Concat(others.Select(r => r.Schedule!)).ToList();
        if (learned is not null) schedules.Add(LearnedEntry(learned));
        string? Best(string family) =>
            summary.BestOf(family)?.Schedule.Name ?? others.Select(r => r.Schedule!).Where(s => s.Family == family).MinBy(s => s.SelectionLoss)?.Name;
        var document = new
        {
            dataset = problem.DatasetName,
            arch = problem.Architecture,
            steps = settings.Steps,
            batchSize = settings.BatchSize,
            decisionInterval = settings.DecisionInterval,
            optimizer = settings.Optimizer.ToString().ToLowerInvariant(),
            validationSamples = settings.ValidationSamples,
            seeds,
            wallSeconds = elapsed.TotalSeconds,
            // libtorch's intra-op threads the child ran with: its floating-point sums, and so its
            // losses, depend on them (a few 1e-3 in test loss), so pairs should share the count.
            threads = TorchSharp.torch.get_num_threads(),
            // The processor, for the same reason: libtorch's kernels follow its instruction sets.
            cpu = Alrs.Torch.Processor.Identity(),
            // Keyed by family name (camelCase for the first two, as before the later families came).
            best = BaselineGrid.AllFamilies.Skip(1).ToDictionary(f => f switch { BaselineGrid.StepDecay => "stepDecay", _ => f }, Best),
            table = summary.Highlights().Select(h => new { label = h.Label, schedule = h.Summary.Schedule.Name })
                .Concat(others.Select(r => new { label = r.Label, schedule = r.Schedule!.Name })),
            schedules,
        };
        WriteJson(outDir, document);
    }

    /// <summary>Writes <paramref name="document"/> as indented <c>summary.json</c>; non-finite numbers as "NaN", "Infinity".</summary>
    static void WriteJson(string outDir, object document)
    {
        Directory.CreateDirectory(outDir);
        // camelCase makes a schedule read from another summary (an EvaluatedSchedule) come out in the entries' own shape.
        var options = new JsonSerializerOptions
        {
            WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, SummaryFile), JsonSerializer.Serialize(document, options));
    }

    static object ScheduleEntry(ScheduleSummary s) => new
    {
        name = s.Schedule.Name,
        family = s.Schedule.Family,
        meanValidationLoss = s.MeanValidationLoss,
        meanTestLoss = s.MeanTestLoss,
        stdTestLoss = s.StdTestLoss,
        meanTestAccuracy = s.MeanTestAccuracy,
        stdTestAccuracy = s.StdTestAccuracy,
        meanKeptSteps = s.MeanKeptSteps,
        meanChildSteps = s.MeanChildSteps,
        runs = s.Runs.Select(r => new
        {
            seed = r.Seed,
            validationLoss = r.FinalValidation.Loss,
            validationAccuracy = r.FinalValidation.Accuracy,
            testLoss = r.Test.Loss,
            testAccuracy = r.Test.Accuracy,
            diverged = r.Diverged,
            keptSteps = r.KeptSteps,
            childSteps = r.ChildSteps,
            // Read from the baseline cache (seconds is then the original run's time).
            cached = r.FromCache,
            seconds = r.Elapsed.TotalSeconds,
            trace = Path.Combine(TraceDirectory, TraceFileName(r)),
        }),
    };

    static object LearnedEntry(LearnedPolicy learned)
    {
        var e = learned.Evaluation;
        return new
        {
            name = EvaluationSummary.LearnedFamily,
            family = EvaluationSummary.LearnedFamily,
            policyVersion = learned.Version,
            // The controller observes validation statistics: it is evaluated with the per-decision
            // validation size it was trained with, which may differ from the baselines'.
            validationSamples = learned.ValidationSamples,
            meanValidationLoss = e.MeanValidationLoss,
            meanTestLoss = e.MeanTestLoss,
            stdTestLoss = e.StdTestLoss,
            meanTestAccuracy = e.MeanTestAccuracy,
            stdTestAccuracy = e.StdTestAccuracy,
            meanReturn = e.MeanReturn,
            runs = e.Runs.Select(r => new
            {
                seed = r.Seed,
                validationLoss = r.FinalValidation.Loss,
                validationAccuracy = r.FinalValidation.Accuracy,
                testLoss = r.Test.Loss,
                testAccuracy = r.Test.Accuracy,
                diverged = r.Diverged,
                @return = r.Return,
                finalLearningRate = r.Trace[^1].LearningRate,
                seconds = r.Elapsed.TotalSeconds,
                trace = Path.Combine(TraceDirectory, LearnedTraceFileName(r)),
            }),
        };
    }
}
