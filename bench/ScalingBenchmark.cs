using System.Globalization;
using Alrs.Actors;

namespace Alrs.Bench;

/// <summary>
/// <c>scaling</c>: total child steps/s of the training graph on one node with 1, 2, 4, ...
/// environment actors, under the threads-per-environment rule (libtorch threads =
/// processors / environments) and, for comparison, with every environment using all
/// processors ("fixed"). Repeats cycle through every configuration, so load drifts hit all alike.
/// </summary>
public sealed class ScalingBenchmark : IBenchmark
{
    public string Name => "scaling";
    public string Synopsis => "[--envs 1,2,4] [--threads rule,fixed] [--repeats K] [--warmup W] [--decisions D] [--steps-per-update S] [workload flags]";

    sealed record Case(int Environments, string Mode, int TorchThreads, Samples Rate, Samples PerCpu, Samples Load);

    public async Task<string> RunAsync(BenchOptions options, TextWriter log)
    {
        using var workload = ChildWorkload.Load(options, log);
        var processors = Environment.ProcessorCount;
        var cases = new List<Case>();
        foreach (var environments in options.EnvironmentsOr(1, 2, 4))
            foreach (var mode in options.ThreadModes)
            {
                var threads = mode == "rule" ? Math.Max(1, processors / environments) : processors;
                // Where the rule already gives every environment all processors, "fixed" is the same run.
                if (cases.Any(c => c.Environments == environments && c.TorchThreads == threads)) continue;
                cases.Add(new Case(environments, mode, threads, new Samples("steps/s"), new Samples("steps/cpu-s"), new Samples("")));
            }

        log.WriteLine($"scaling: {processors} processors; warm-up {options.WarmupDecisions} and window {options.Decisions} decisions per environment; {options.Repeats} repeats of " +
                      string.Join(", ", cases.Select(c => $"{c.Environments} env × {c.TorchThreads} torch thread(s) ({c.Mode})")));
        // Repeat 0 is one short unrecorded run: JIT, libtorch's first calls and SQLite's first open land there.
        for (var repeat = 0; repeat <= options.Repeats; repeat++)
        {
            foreach (var c in repeat == 0 ? cases.Take(1) : cases)
            {
                var stepsPerUpdate = options.StepsPerUpdate > 0 ? options.StepsPerUpdate : 100 * c.Environments;
                var config = ChildWorkload.ActorConfig(c.Environments, c.TorchThreads, stepsPerUpdate);
                var settings = ActorSettings.FromConfig(config);
                var meter = new DecisionMeter(options.WarmupDecisions * c.Environments, (repeat == 0 ? 1 : options.Decisions) * c.Environments);
                var window = await ActorTraining.RunAsync(workload, settings, config, meter, TimeSpan.FromHours(1));
                var rate = window.Decisions * workload.ChildStepsPerDecision / window.Window.TotalSeconds;
                if (repeat > 0)
                {
                    c.Rate.Add(rate);
                    c.PerCpu.Add(rate / meter.ProcessorsBusy);
                    c.Load.Add(Machine.LoadAverage().One);
                }
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(repeat == 0 ? "warm-up (not recorded)" : $"repeat {repeat}")} {c.Environments} env × {c.TorchThreads} thread(s): {rate:F1} child steps/s ({window.Window.TotalSeconds:F1} s window; {meter.Usage}) {Machine.Load()}"));
            }
        }

        var single = cases.Where(c => c.Environments == cases.Min(x => x.Environments)).Max(c => c.Rate.Median);
        foreach (var c in cases)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {c.Environments} env × {c.TorchThreads} thread(s) ({c.Mode}): total {c.Rate.Describe()}, {c.Rate.Median / c.Environments:F1} per environment, " +
                $"×{c.Rate.Median / single:F2} of the smallest count; per processor-second {c.PerCpu.Describe()}; load1m median {c.Load.Median:F2}"));

        var rule = cases.Where(c => c.Mode == "rule").OrderBy(c => c.Environments).ToList();
        if (rule.Count == 0) rule = [.. cases.OrderBy(c => c.Environments)];
        var saturation = Saturation(rule);
        return string.Create(CultureInfo.InvariantCulture,
            $"scaling: {string.Join(" ", cases.Select(c => $"envs={c.Environments}x{c.TorchThreads}t={c.Rate.Median:F1}"))} steps/s " +
            $"(median of {options.Repeats}; rule = processors/envs threads) {saturation} on {processors} processors; " +
            $"load1m={cases.SelectMany(c => c.Load.Values).Order().ElementAt(cases.Sum(c => c.Load.Count) / 2):F2}");
    }

    /// <summary>The smallest environment count after which more environments add less than 5 % throughput.</summary>
    static string Saturation(IReadOnlyList<Case> rule)
    {
        for (var i = 0; i + 1 < rule.Count; i++)
            if (rule[i + 1].Rate.Median < rule[i].Rate.Median * 1.05)
                return $"saturates at {rule[i].Environments} env(s)";
        return rule.Count > 0 ? $"still rising at {rule[^1].Environments} env(s)" : "no rule cases";
    }
}
