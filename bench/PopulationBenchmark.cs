using System.Globalization;
using Alrs.Actors;

namespace Alrs.Bench;

/// <summary>
/// <c>population</c>: total decisions/s of a population of K = 3 controllers (<see cref="PopulationActor"/>
/// owning three learners and stores, the environments shared among them) against one learner,
/// on the same N environments, same workload, same meter and same steps-per-update. Each learner
/// updates every S decisions of its own environments, so three learners together make as many
/// PPO updates per decision as one: the ratio charges the population for its own machinery
/// (three stores committing, routing by controller, every controller's versions reaching every
/// environment). Repeats are interleaved pairs that alternate which variant runs first, so slow
/// drifts in machine load hit both.
/// </summary>
public sealed class PopulationBenchmark : IBenchmark
{
    public const double Target = 0.95;
    const int Controllers = 3;

    public string Name => "population";
    public string Synopsis => "[--envs N (3)] [--repeats K] [--warmup W (30)] [--decisions D (50)] [--torch-threads T] [--steps-per-update S (25 x N / 3)] [workload flags]";

    /// <summary>Steady state, as <c>overhead</c>: 30 warm-up decisions per environment put JIT and first snapshots before the clock.</summary>
    public BenchOptions Defaults => new() { WarmupDecisions = 30, Decisions = 50 };

    public async Task<string> RunAsync(BenchOptions options, TextWriter log)
    {
        var environments = options.EnvironmentsOr(Controllers)[0];
        if (environments < Controllers) throw new Learning.InputException($"--envs must be at least {Controllers}, so every controller of the population has an environment");
        using var workload = ChildWorkload.Load(options, log);
        // Each learner updates every S decisions of its own environments: by default a third of
        // overhead's 25 x N, so each controller of three still makes several updates per window.
        var stepsPerUpdate = options.StepsPerUpdate > 0 ? options.StepsPerUpdate : Math.Max(1, 25 * environments / Controllers);
        var config = ChildWorkload.ActorConfig(environments, options.TorchThreads, stepsPerUpdate);
        var settings = ActorSettings.FromConfig(config);
        var single = new PopulationSettings();
        var population = new PopulationSettings { Controllers = Controllers };

        log.WriteLine($"population: {Controllers} controllers against 1 on {environments} environments, warm-up {options.WarmupDecisions} and window {options.Decisions} decisions per environment, " +
                      $"learner batch {stepsPerUpdate} decisions per controller, {options.Repeats} interleaved pairs");

        var populationRates = new Samples("decisions/s");
        var singleRates = new Samples("decisions/s");
        var ratios = new Samples("x");
        var loads = new Samples("");
        // Pair 0 is short and unrecorded: JIT, libtorch's first calls and SQLite's first open land there.
        for (var repeat = 0; repeat <= options.Repeats; repeat++)
        {
            double populationRate = 0, singleRate = 0;
            var window = repeat == 0 ? 1 : options.Decisions;
            foreach (var populationFirst in repeat % 2 == 1 ? new[] { false, true } : new[] { true, false })
            {
                var meter = new DecisionMeter(options.WarmupDecisions * environments, window * environments);
                var run = await ActorTraining.RunAsync(workload, settings, populationFirst ? population : single, config, meter, TimeSpan.FromHours(1));
                var rate = run.Decisions / run.Window.TotalSeconds;
                if (populationFirst) populationRate = rate;
                else singleRate = rate;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(repeat == 0 ? "warm-up (not recorded)" : $"pair {repeat}")} K={(populationFirst ? Controllers : 1)}: {rate:F2} decisions/s ({run.Window.TotalSeconds:F1} s window; {run.Updates} updates, {run.DroppedStale} stale fragments; {meter.Usage}) {Machine.Load()}"));
            }
            if (repeat == 0) continue;
            populationRates.Add(populationRate);
            singleRates.Add(singleRate);
            ratios.Add(populationRate / singleRate);
            loads.Add(Machine.LoadAverage().One);
        }

        log.WriteLine($"  K={Controllers} {populationRates.Describe()}");
        log.WriteLine($"  K=1 {singleRates.Describe()}");
        log.WriteLine($"  ratio (per pair) {ratios.Describe("F3")}; target >= {Target:F2}");
        return string.Create(CultureInfo.InvariantCulture,
            $"population: envs={environments} K={Controllers} {populationRates.Median:F2} decisions/s K=1 {singleRates.Median:F2} decisions/s ratio={ratios.Median:F3} " +
            $"(min {ratios.Min:F3}, max {ratios.Max:F3}; median of {ratios.Count}) target>={Target:F2} {(ratios.Median >= Target ? "met" : "MISSED")} " +
            $"load1m={loads.Median:F2} (min {loads.Min:F2}, max {loads.Max:F2})");
    }
}
