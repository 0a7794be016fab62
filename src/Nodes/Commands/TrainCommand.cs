using System.Diagnostics;
using System.Globalization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning;
using Alrs.Learning.Baselines;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Evaluation;
using Alrs.Learning.Ppo;
using Alrs.Reporting;
using Alrs.Torch;
using Alrs.Messages;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs train</c>: one process with every role. Builds the actor graph (policy store,
/// learner, environment actors), trains until <c>alrs.train.episodes</c> episodes ended,
/// showing a live status line and logging to <c>RUN-DIR/tensorboard</c> and
/// <c>RUN-DIR/training/returns.csv</c>; then evaluates the learned policy against
/// hand-designed schedules on the test set, prints the table, writes
/// <c>RUN-DIR/evaluation/</c> and <c>RUN-DIR/report.html</c> (docs/run-directory.md).
/// Configuration: hocon files, a preset (default <c>quick</c>), flags on top (PPO from
/// <c>alrs.ppo</c>). <c>--resume DIR</c> continues a run from its last stored policy version
/// with the run's own configuration.
/// </summary>
public sealed class TrainCommand(TextWriter? output = null, string? hoconDirectory = null) : ICommand
{
    /// <summary>The preset used when neither --preset nor --resume is given: minutes on 2 cores.</summary>
    public const string DefaultPreset = "quick";

    /// <summary>Flags and the HOCON paths they override.</summary>
    static readonly Dictionary<string, string> FlagPaths = new()
    {
        ["envs"] = "alrs.actors.environments.count",
        ["dataset"] = "alrs.env.dataset",
        ["arch"] = "alrs.env.arch",
        ["episodes"] = "alrs.train.episodes",
        ["data-dir"] = "alrs.data.dir",
        ["out"] = "alrs.train.out",
        ["evaluate"] = "alrs.train.evaluate",
        ["dataset-path"] = ProblemFlags.PathKey,
        ["format"] = ProblemFlags.FormatKey,
        ["controllers"] = "alrs.population.controllers",
    };

    public string Name => "train";

    public string Synopsis =>
        "[--preset P (default quick)] [--config FILE] [--controllers K] [--envs N] [--dataset D | --dataset-path PATH --format csv|idx|image-folder] [--arch A] [--episodes N] [--evaluate latest|best|none] [--data-dir DIR] [--no-fetch] [--out DIR] | --resume RUN_DIR [--episodes N (the run's new total)] [--envs N] [--evaluate E]   train the controller, then compare with baselines";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, [.. FlagPaths.Keys, "preset", "config", "resume"], [DatasetAutoFetch.NoFetchSwitch]);
        if (arguments.Positional.Count > 0) throw new UsageException($"unexpected argument '{arguments.Positional[0]}'");
        arguments.GetInt("envs", 1, 256);
        arguments.GetInt("episodes", 1, 10_000_000);
        arguments.GetInt("controllers", 1, 64);
        var overrides = arguments.Options.Where(o => FlagPaths.ContainsKey(o.Key)).ToDictionary(o => FlagPaths[o.Key], o => o.Value);
        if (arguments.Has(DatasetAutoFetch.NoFetchSwitch)) overrides.Add(DatasetAutoFetch.NoFetchOverride.Key, DatasetAutoFetch.NoFetchOverride.Value);
        ProblemFlags.Apply(arguments, overrides);
        // Redrawn in place on a terminal; plain lines at most every 10 s when redirected (CI logs).
        var display = output is null ? ProgressDisplay.ForConsole() : new ProgressDisplay(output, isTerminal: false);

        // Everything is read and checked (data included) before the run directory is touched.
        var resume = arguments.Get("resume");
        Config config;
        string? resumeDirectory = null;
        if (resume is not null)
        {
            foreach (var fixedByRun in new[] { "preset", "config", "dataset", "dataset-path", "format", "arch", "out", "controllers" })
                if (arguments.Has(fixedByRun)) throw new UsageException($"--{fixedByRun} cannot be combined with --resume: a resumed run keeps its own configuration");
            (resumeDirectory, var runConfig) = RunDirectory.Open(resume);
            config = Overrides(overrides).WithFallback(runConfig).WithFallback(AlrsConfig.Load(null, null, hoconDirectory));
        }
        else
        {
            config = AlrsConfig.Load(arguments.Get("preset") ?? DefaultPreset, overrides, hoconDirectory, arguments.Get("config"));
        }

        var train = TrainSettings.FromConfig(config);
        var population = PopulationSettings.FromConfig(config);
        // alrs.train.episodes counts per controller: a population plays that many for each.
        var totalEpisodes = train.Episodes * population.Controllers;
        // A resumed run counts on from the episodes it has (--episodes is the run's total, not more).
        var episodesDone = resumeDirectory is null ? 0 : EpisodesDone(resumeDirectory);
        if (episodesDone >= totalEpisodes)
            throw new UsageException($"run {resumeDirectory} already has {episodesDone} of its {totalEpisodes} episodes: pass --episodes with a larger total to train it further");
        var actorSettings = ActorSettings.FromConfig(config);
        // Environments are shared by controllers, never split: with fewer environments than
        // controllers one controller would get none and stay at its untrained version 0.
        if (population.Controllers > actorSettings.Environments)
            throw new InputException($"{population.Controllers} controllers need at least {population.Controllers} environments " +
                                     $"(alrs.actors.environments.count, --envs, is {actorSettings.Environments}): each trains only on the environments assigned to it");
        var problem = ExperimentSettings.Problem(config);
        var environmentSettings = ExperimentSettings.Environment(config);
        var baselines = ExperimentSettings.BaselineRuns(config);

        // Every controller's variant is read (and checked) before the data is loaded or the run directory made.
        var createAgentOn = ControllerAgents.Factory(config, population);

        TorchRuntime.EnsureLoadable();
        var clock = Stopwatch.StartNew();
        await DatasetAutoFetch.EnsureAsync(config, problem, Name, output ?? Console.Out, cancellation);
        display.Message($"train: loading {problem.DatasetName} from {problem.Source} ...");
        using var data = problem.Load();
        LearningRateEnvironment.CheckFits(data, environmentSettings);

        var runDirectory = resumeDirectory ?? RunDirectory.Create(
            string.IsNullOrWhiteSpace(train.Out) ? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)) : train.Out,
            config);
        DataRecord.Write(runDirectory, problem, data);
        display.Message($"train: run directory {runDirectory}{(resumeDirectory is null ? "" : " (resumed)")}");
        display.Message($"train: {problem.DatasetName}/{problem.Architecture}, {(population.IsPopulation ? $"{population.Controllers} controllers (PPO seeds {actorSettings.LearnerSeed} to {actorSettings.LearnerSeed + population.Controllers - 1}) sharing " : "")}" +
                      $"{actorSettings.Environments} environments, {train.Episodes} episodes{(population.IsPopulation ? " each" : "")} of " +
                      $"{environmentSettings.Steps / environmentSettings.DecisionInterval} decisions ({environmentSettings.Steps} steps of batch {environmentSettings.BatchSize}), " +
                      $"{(resume is null ? $"preset {arguments.Get("preset") ?? DefaultPreset}" : $"resumed configuration, {episodesDone} episodes done")}, PPO update every {actorSettings.StepsPerUpdate} decisions");

        var trainedProblem = TrainedProblem.Of(data, problem.Network);
        Func<int, int, PpoAgent> createAgent = (k, seed) => createAgentOn(k, seed, trainedProblem);
        PolicyVersion policy;
        try
        {
            policy = await TrainAsync(config, actorSettings, population, totalEpisodes, episodesDone, train.EvaluateBest, runDirectory, display,
                _ => new LearningRateEnvironment(data, problem.Network, environmentSettings),
                createAgent,
                cancellation)
                ?? await PopulationSelection.SelectAsync(runDirectory, config, data, problem, environmentSettings, line => display.Message(line), cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Every committed version is in the run's store: say how to go on.
            display.Message($"train: stopped; the committed policy versions are in {runDirectory}: continue with `alrs train --resume {runDirectory}`");
            throw;
        }
        var policyFile = Path.Combine(runDirectory, $"policy-v{policy.Version}{EvaluateCommand.PolicyExtension}");
        AtomicFile.WriteAllBytes(policyFile, policy.Blob);
        if (!train.EvaluateAfterTraining)
        {
            var skipped = RunReport.Write(runDirectory);
            display.Message($"train: trained in {clock.Elapsed.TotalSeconds:F0} s; wrote {policyFile}; no evaluation (alrs.train.evaluate = none): " +
                            $"compare it with `alrs baselines` and `alrs evaluate --policy {runDirectory}`");
            display.Message($"train: report {skipped.HtmlPath}");
            return CommandRouter.Ok;
        }
        display.Message($"train: trained in {clock.Elapsed.TotalSeconds:F0} s; wrote {policyFile}; evaluating policy v{policy.Version} against the baselines on the test set ...");

        // Evaluation keeps training's libtorch thread count: more threads than free cores make
        // libtorch's workers spin against each other (minutes instead of seconds on a busy 2-core machine).
        var evaluationClock = Stopwatch.StartNew();
        var (learned, summary, seeds) = Evaluate(data, problem, environmentSettings, baselines, policy, display, cancellation);
        display.Complete();
        var table = Table(problem, environmentSettings, seeds, policy, learned, summary);
        display.Message(table);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, $"evaluation-v{policy.Version}.txt"), table);

        // evaluation/ is derived from the policy: a resumed run replaces it with the newer policy's.
        var evaluationDirectory = Path.Combine(runDirectory, "evaluation");
        if (Directory.Exists(evaluationDirectory)) Directory.Delete(evaluationDirectory, recursive: true);
        EvaluationWriter.WriteTraces(evaluationDirectory, summary.Schedules.SelectMany(s => s.Runs));
        EvaluationWriter.WriteTraces(evaluationDirectory, learned);
        EvaluationWriter.WriteSummary(evaluationDirectory, problem, environmentSettings with { ValidationSamples = baselines.ValidationSamples },
            seeds, summary, evaluationClock.Elapsed, new LearnedPolicy(policy.Version, learned, environmentSettings.ValidationSamples));
        var report = RunReport.Write(runDirectory);
        foreach (var missing in report.NotAvailable) display.Message($"train: report: {missing} not available");
        display.Message($"train: done in {clock.Elapsed.TotalSeconds:F0} s; run directory {runDirectory}");
        display.Message($"train: report {report.HtmlPath}");
        return CommandRouter.Ok;
    }

    /// <summary>
    /// Runs the actor graph until enough episodes ended; returns the policy to evaluate, or null
    /// for a population (its policy is selected once the actor system is down).
    /// </summary>
    static async Task<PolicyVersion?> TrainAsync(
        Config config, ActorSettings settings, PopulationSettings population, long totalEpisodes, long episodesDone, bool evaluateBest,
        string runDirectory, ProgressDisplay display,
        Func<int, Learning.Rl.ILearningEnvironment> environments, Func<int, int, PpoAgent> createAgent, CancellationToken cancellation)
    {
        var system = ActorSystem.Create("alrs", TrainingSystem.ForRun(config, settings, runDirectory));
        try
        {
            var finished = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            // TrainingProgress decides when training is done; the status line shows it.
            system.FollowProgress(TextWriter.Null, totalEpisodes - episodesDone, settings.Environments, finished, settings.StoreName(runDirectory));
            var statusLine = system.ShowTrainingStatus(display, totalEpisodes, episodesDone);
            // A population logs each controller in controllers/cK/ (each numbers its own versions).
            var trainingLogs = population.IsPopulation
                ? Enumerable.Range(0, population.Controllers)
                    .Select(k => system.WriteTrainingLog(Path.Combine(runDirectory, PopulationSelection.ControllersDirectory, PopulationSettings.Name(k)), k)).ToArray()
                : [system.WriteTrainingLog(runDirectory)];
            var graph = system.StartTraining(settings, population, environments, createAgent);
            // The same command endpoint as a cluster node: `alrs ctl` can inspect this run.
            var ctlOutput = new StringWriter();
            Control.ControlEndpoint.TryOpen(system, ControlSettingsOf(config), ctlOutput);
            display.Message(ctlOutput.ToString().TrimEnd());

            await finished.Task.WaitAsync(cancellation);
            // Both were subscribed before any event: answering now means they saw the last episode.
            foreach (var trainingLog in trainingLogs)
                await trainingLog.Ask<TrainingLogWriter.Flushed>(TrainingLogWriter.Flush.Instance, TimeSpan.FromSeconds(30), cancellation);
            await statusLine.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(30), cancellation);
            display.Complete();
            var status = await graph.Learner.Ask<LearnerStatus>(GetLearnerStatus.Instance, TimeSpan.FromSeconds(30), cancellation);
            display.Message(string.Create(CultureInfo.InvariantCulture,
                $"train: {status.Episodes} episodes, policy v{status.Version} after {status.Updates} updates, {status.DecisionsPerSecond:F1} decisions/s, " +
                $"dropped {status.DroppedStale} stale / {status.Duplicates} duplicate / {status.Discarded} discarded / {status.Malformed} malformed fragments"));
            foreach (var controller in status.Controllers ?? [])
                display.Message(string.Create(CultureInfo.InvariantCulture,
                    $"train: controller {controller.Controller}: {controller.Episodes} episodes, policy v{controller.Version} after {controller.Updates} updates, mean return ({controller.RecentReturns.Count}) {controller.MeanRecentReturn:F3}{(controller.Variant.Length > 0 ? $", variant {controller.Variant}" : "")}{(controller.Hyperparameters.Length > 0 ? $", {controller.Hyperparameters}" : "")}"));
            if (population.IsPopulation) return null;
            var stored = await graph.Store.Ask<StoredPolicies>(GetStoredPolicies.Instance, TimeSpan.FromSeconds(30), cancellation);
            return (evaluateBest ? stored.Best : stored.Latest)
                ?? throw new InvalidOperationException("the policy store holds no policy after training");
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The learned policy and the baseline grid on the same evaluation seeds; per-run lines go to the status.</summary>
    static (PolicyEvaluation Learned, BaselineSummary Baselines, int[] Seeds) Evaluate(
        DatasetSplits data, ChildProblem problem, EnvironmentSettings environmentSettings, BaselineSettings baselines,
        PolicyVersion policy, ProgressDisplay display, CancellationToken cancellation)
    {
        var seeds = Enumerable.Range(0, baselines.Seeds).Select(i => environmentSettings.Seed + i).ToArray();
        // The controller observes validation statistics: it keeps the validation size it was trained with.
        using var controllerEnvironment = new LearningRateEnvironment(data, problem.Network, environmentSettings with { Evaluation = true });
        using var agent = PpoAgent.FromBlob(policy.Blob);
        var learned = PolicyEvaluator.Evaluate(agent, controllerEnvironment, seeds, (done, total, run) =>
            display.Report(string.Create(CultureInfo.InvariantCulture,
                $"evaluating [{done}/{total}] learned v{policy.Version} seed {run.Seed}: val loss {run.FinalValidation.Loss:F4}, test loss {run.Test.Loss:F4}, test acc {run.Test.Accuracy:P2}, final lr {run.Trace[^1].LearningRate:G3}{(run.Diverged ? " DIVERGED" : "")}")),
            cancellation);

        using var baselineEnvironment = new LearningRateEnvironment(data, problem.Network,
            environmentSettings with { Evaluation = true, ValidationSamples = baselines.ValidationSamples });
        var schedules = baselines.Grid.All(environmentSettings);
        var cache = baselines.CacheDirectory is { } cacheDirectory ? new BaselineCache(cacheDirectory, DatasetFingerprint.Of(data)) : null;
        var summary = BaselineSummary.Collect(baselineEnvironment, schedules, seeds, (done, total, run) =>
            display.Report(string.Create(CultureInfo.InvariantCulture,
                $"evaluating [{done}/{total}] {run.Schedule.Name} seed {run.Seed}{(run.FromCache ? " (cached)" : "")}: val loss {run.FinalValidation.Loss:F4}, test loss {run.Test.Loss:F4}, test acc {run.Test.Accuracy:P2}")),
            cancellation, cache);
        display.Complete();
        if (cache is not null)
            display.Message($"train: baselines: {cache.Reused} of {cache.Reused + cache.Trained} runs read from the cache {cache.Directory}, {cache.Trained} trained and stored there");
        return (learned, summary, seeds);
    }

    /// <summary>The comparison table: the learned policy, every constant, the best of each other family, with each row's child compute.</summary>
    static string Table(ChildProblem problem, EnvironmentSettings environmentSettings, int[] seeds, PolicyVersion policy, PolicyEvaluation learned, BaselineSummary summary)
    {
        var learnedLosses = learned.Runs.Select(r => (r.Seed, r.Test.Loss)).ToArray();
        var rows = new List<(string Label, double ValLoss, double TestLoss, double TestLossStd, double Accuracy, double AccuracyStd, double ChildSteps, PairedDifference? Paired)>
        {
            ($"learned controller v{policy.Version}", learned.MeanValidationLoss, learned.MeanTestLoss, learned.StdTestLoss,
                learned.MeanTestAccuracy, learned.StdTestAccuracy, environmentSettings.Steps, null),
        };
        rows.AddRange(summary.Highlights().Select(h => (h.Label + h.Summary.CacheNote, h.Summary.MeanValidationLoss, h.Summary.MeanTestLoss, h.Summary.StdTestLoss,
            h.Summary.MeanTestAccuracy, h.Summary.StdTestAccuracy, h.Summary.MeanChildSteps,
            PairedDifference.Of(learnedLosses, h.Summary.Runs.Select(r => (r.Seed, r.Test.Loss))))));

        var width = rows.Max(r => r.Label.Length);
        var table = new StringBuilder();
        table.AppendLine();
        table.AppendLine($"{problem.DatasetName}/{problem.Architecture}, {seeds.Length} seeds, {environmentSettings.Steps} steps of batch {environmentSettings.BatchSize}");
        table.AppendLine($"{"schedule".PadRight(width)}  {"val loss",8}  {"test loss (mean ± std)",-22}  {"test accuracy (mean ± std)",-26}  {"child steps",11}  learned − this, test loss: mean [95 % CI], paired by seed");
        foreach (var r in rows)
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Label.PadRight(width)}  {r.ValLoss,8:F4}  {$"{r.TestLoss:F4} ± {r.TestLossStd:F4}",-22}  {$"{r.Accuracy * 100:F2}% ± {r.AccuracyStd * 100:F2}%",-26}  {r.ChildSteps,11:F0}  {r.Paired?.ToString() ?? ""}").TrimEnd());
        table.AppendLine("(ahead / behind: the learned controller's test loss is lower / higher with the 95 % interval excluding 0; within noise: it does not)");
        if (summary.Highlights().Any(h => h.Summary.CachedRuns > 0))
            table.AppendLine("(cached: the baseline's runs were read from the baseline cache, alrs.baselines.cache-dir, not trained again)");
        return table.ToString();
    }

    /// <summary>
    /// Episodes a run directory has finished, as <c>training/returns.csv</c> counts them (its
    /// pending rows are written when a run stops, Ctrl-C and SIGTERM included). A process killed
    /// outright loses the rows of its last versions, and episodes that end after a version two
    /// newer than theirs is out are left out; a resumed run then plays that many more.
    /// </summary>
    internal static long EpisodesDone(string runDirectory)
    {
        var controllers = Path.Combine(runDirectory, PopulationSelection.ControllersDirectory);
        var logs = Directory.Exists(controllers)
            ? Directory.GetDirectories(controllers).Select(c => Path.Combine(c, "training", "returns.csv")).Append(Path.Combine(runDirectory, "training", "returns.csv"))
            : [Path.Combine(runDirectory, "training", "returns.csv")];
        return logs.Where(File.Exists).Sum(returns => PolicyReturns.Read(returns).Sum(r => (long)r.Episodes));
    }

    /// <summary>
    /// The command endpoint of this run: <c>alrs.ctl</c>, with <c>ALRS_CTL_*</c> from the
    /// environment on top as for cluster nodes (two runs on one machine: <c>ALRS_CTL_PORT=0</c>).
    /// </summary>
    internal static Control.ControlSettings ControlSettingsOf(Config config, System.Collections.IDictionary? environment = null)
    {
        var fromEnvironment = Hosting.EnvironmentOverrides.From(environment)
            .Where(o => o.Key.StartsWith("alrs.ctl.", StringComparison.Ordinal))
            .ToDictionary(o => o.Key, o => o.Value);
        return Control.ControlSettings.Load(Overrides(fromEnvironment).WithFallback(config));
    }

    /// <summary>Flag values as HOCON, quoted so paths and names survive unchanged.</summary>
    internal static Config Overrides(IReadOnlyDictionary<string, string> overrides) =>
        overrides.Count == 0
            ? Config.Empty
            : ConfigurationFactory.ParseString(string.Join("\n",
                overrides.Select(o => $"{o.Key} = \"{o.Value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"")));
}
