using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Evaluation;
using Alrs.Learning.Ppo;
using Alrs.Messages;
using Alrs.Nodes.Configuration;
using Alrs.Reporting;

namespace Alrs.Nodes.Commands;

/// <summary>
/// Selects a population run's policy (after <c>alrs train --controllers K</c>, and on demand
/// with <c>alrs select RUN-DIR</c>): every controller's latest stored version is run
/// deterministically on the selection seed (<c>alrs.population.selection-seed</c>) from each
/// of the baselines' starts (<c>alrs.baselines.initial-lrs</c>; a residual controller from the
/// first only, see <see cref="StartsFor"/>), with the baselines'
/// validation size, exactly as <c>alrs evaluate --seed 100 --seeds 1 --initial-lr R</c> runs it;
/// the lowest mean final validation loss wins (<see cref="ControllerSelection"/>). Writes
/// <c>controllers/cK/policy-vN.alrspol</c> for every controller, <c>selection.json</c> and the
/// winner's blob as the run's <c>policy-vN.alrspol</c>. Test data plays no part. A pbt run's
/// selection also lists every controller's hyperparameters (its latest version's) and the
/// lineage: every exploit, read from the controllers' stores.
/// </summary>
public static class PopulationSelection
{
    public const string SelectionFile = "selection.json", ControllersDirectory = "controllers";

    /// <summary>libtorch threads the selection episodes run with, whoever calls (recorded in selection.json).</summary>
    public const int SelectionThreads = 1;

    /// <summary>The winner's version; <paramref name="log"/> hears one line per run.</summary>
    public static async Task<PolicyVersion> SelectAsync(
        string runDirectory, Config config, DatasetSplits data, ChildProblem problem, EnvironmentSettings environment,
        Action<string> log, CancellationToken cancellation)
    {
        var settings = ActorSettings.FromConfig(config);
        var population = PopulationSettings.FromConfig(config);
        var baselines = ExperimentSettings.BaselineRuns(config);
        var starts = baselines.Grid.InitialRates;
        var stored = await StoredPolicyReader.ReadControllersAsync(runDirectory, config, cancellation);

        var candidates = new List<ControllerCandidate>();
        var policies = new Dictionary<int, PolicyVersion>();
        var hyperparameters = new Dictionary<int, IReadOnlyDictionary<string, double>>();
        // The child's losses depend on libtorch's thread count (floating-point summation order), and
        // `alrs train` sets it by its environment count while `alrs select` would get every core:
        // selection always runs on one thread, so both give the same numbers and the same choice.
        var callersThreads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(SelectionThreads);
        try
        {
            for (var k = 0; k < stored.Count; k++)
            {
                if (stored[k].Latest is not { } latest)
                {
                    log($"select: controller {k} has no stored version; left out");
                    continue;
                }
                policies[k] = latest;
                var controllerDirectory = Path.Combine(runDirectory, ControllersDirectory, PopulationSettings.Name(k));
                Directory.CreateDirectory(controllerDirectory);
                AtomicFile.WriteAllBytes(Path.Combine(controllerDirectory, $"policy-v{latest.Version}{EvaluateCommand.PolicyExtension}"), latest.Blob);

                using var agent = PpoAgent.FromBlob(latest.Blob);
                hyperparameters[k] = PbtHyperparameters.Of(agent.Settings);
                var results = new List<SelectionStart>();
                foreach (var start in StartsFor(agent.Spec, starts))
                {
                    var startSettings = environment with
                    {
                        Evaluation = true, ValidationSamples = baselines.ValidationSamples, InitialLearningRate = start, InitialLearningRateChoices = [],
                    };
                    if (agent.Spec is { } spec) startSettings = spec.ApplyTo(startSettings);
                    using var child = new LearningRateEnvironment(data, problem.Network, startSettings);
                    var run = PolicyEvaluator.Run(agent, child, population.SelectionSeed, cancellation);
                    results.Add(new SelectionStart(start, run.FinalValidation.Loss));
                    log(string.Create(CultureInfo.InvariantCulture,
                        $"select: controller {k} v{latest.Version} from {start:G3} on seed {population.SelectionSeed}: val loss {run.FinalValidation.Loss:F4}{(run.Diverged ? " DIVERGED" : "")}"));
                }
                candidates.Add(new ControllerCandidate(k, population.SettingsOf(settings, k).LearnerSeed, population.VariantOf(k).Description, latest.Version, results));
            }
        }
        finally
        {
            TorchSharp.torch.set_num_threads(callersThreads);
        }
        if (candidates.Count == 0) throw new InputException($"{Path.Combine(runDirectory, RunDirectory.StoreFile)} holds no policy version of any controller yet");

        var winner = ControllerSelection.Choose(candidates);
        var policy = policies[winner.Controller];
        var policyFile = $"policy-v{policy.Version}{EvaluateCommand.PolicyExtension}";
        AtomicFile.WriteAllBytes(Path.Combine(runDirectory, policyFile), policy.Blob);
        var exploits = stored.SelectMany(s => s.Exploits ?? []).OrderBy(e => e.RecordedUtc).ThenBy(e => e.Controller).ToArray();
        Write(Path.Combine(runDirectory, SelectionFile), population, starts, candidates, winner, policyFile, hyperparameters, exploits);
        log(string.Create(CultureInfo.InvariantCulture,
            $"select: controller {winner.Controller} (v{winner.Version}, training seed {winner.TrainingSeed}) has the lowest mean validation loss {winner.SelectionLoss:F4}; wrote {policyFile} and {SelectionFile}"));
        return policy;
    }

    /// <summary>
    /// The starts a controller is run from: all of them, except for a residual controller, which
    /// begins where its base schedule does whatever the start (one run then stands for every start,
    /// and its mean is the same number, so controllers of both kinds still compare).
    /// </summary>
    internal static IReadOnlyList<double> StartsFor(ControllerSpec? spec, IReadOnlyList<double> starts) =>
        spec?.Action == ActionMappings.Residual && starts.Count > 1 ? [starts[0]] : starts;

    static void Write(string path, PopulationSettings population, IReadOnlyList<double> starts, IReadOnlyList<ControllerCandidate> candidates,
        ControllerCandidate winner, string policyFile, IReadOnlyDictionary<int, IReadOnlyDictionary<string, double>> hyperparameters, IReadOnlyList<PopulationExploit> exploits)
    {
        var pbt = population.IsPbt;
        var document = new
        {
            rule = "lowest mean final validation loss over the starts on the selection seed (ties: lowest controller id)",
            selectionSeed = population.SelectionSeed,
            threads = SelectionThreads,
            starts,
            controllers = candidates.Select(c => new
            {
                controller = c.Controller,
                trainingSeed = c.TrainingSeed,
                variant = c.Variant,
                version = c.Version,
                validationLoss = c.Starts.Select(s => new { initialLearningRate = s.InitialLearningRate, validationLoss = s.ValidationLoss }),
                meanValidationLoss = c.SelectionLoss,
                hyperparameters = pbt ? hyperparameters[c.Controller] : null,
            }),
            selected = new { controller = winner.Controller, version = winner.Version, policy = policyFile },
            // Only in pbt mode (null is not written): select mode's file is as before.
            pbt = pbt ? PbtSection(population.Pbt, exploits) : null,
        };
        var options = new JsonSerializerOptions
        {
            WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, options));
    }

    /// <summary>selection.json's <c>pbt</c>: the settings and the lineage, one entry per exploit, oldest first.</summary>
    static object PbtSection(PbtSettings settings, IReadOnlyList<PopulationExploit> exploits) => new
    {
        intervalUpdates = settings.IntervalUpdates,
        quantile = settings.Quantile,
        resampleProbability = settings.ResampleProbability,
        bounds = settings.Explore.ToDictionary(b => b.Key, b => new[] { b.Min, b.Max }),
        events = exploits.Select(e => new
        {
            time = e.RecordedUtc.ToString("O", CultureInfo.InvariantCulture),
            controller = e.Controller,
            version = e.Version,
            updates = e.Updates,
            meanReturn = e.MeanReturn,
            fromController = e.SourceController,
            fromVersion = e.SourceVersion,
            fromMeanReturn = e.SourceMeanReturn,
            hyperparameters = e.Hyperparameters,
            perturbation = e.Perturbation,
        }),
    };

    /// <summary>The selected controller of a run's <c>selection.json</c>, or null when the run has none.</summary>
    public static int? SelectedController(string runDirectory)
    {
        var path = Path.Combine(runDirectory, SelectionFile);
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("selected").GetProperty("controller").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InputException($"{path} is not a selection of alrs select: {e.Message}", e);
        }
    }
}
