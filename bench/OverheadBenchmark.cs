using System.Globalization;
using Alrs.Actors;
using Alrs.Learning;
using Alrs.Learning.Evaluation;
using TorchSharp;

namespace Alrs.Bench;

/// <summary>
/// <c>overhead</c>: N environment actors training inside the actor system against N bare
/// training loops on N threads, same environments, same acting code, same libtorch thread
/// count, same number of child steps timed by the same meter. The actor variant also pays
/// for everything the system does around sampling (messages, fragment acknowledgements, the
/// learner's PPO updates, committing versions to SQLite, adopting new policies), so the ratio
/// charges all of it.
/// <para>
/// Measured in many short interleaved pairs (actor then bare, bare then actor, …): the two
/// windows of a pair see nearly the same machine, so drifts in other load cancel in the pair's
/// ratio, and the median pair ratio comes with a distribution-free 95 % interval
/// (<see cref="MedianInterval"/>): the target is met when the whole interval is at or above it,
/// refuted when the whole interval is below it, and otherwise undecided.
/// </para>
/// </summary>
public sealed class OverheadBenchmark : IBenchmark
{
    public const double Target = 0.97;

    /// <summary>The target's margin: how far below parity the ratio may go (1 − target).</summary>
    public const double Margin = 1 - Target;

    public string Name => "overhead";
    public string Synopsis => "[--pairs P (16)] [--warmup W (10)] [--decisions D (25)] [--envs N (2)] [--torch-threads T] [--steps-per-update S (25 x N)] [--actor-config HOCON] [workload flags]";

    /// <summary>
    /// 16 pairs of 10 warm-up and 25 timed decisions per environment: a window holds one PPO
    /// update, its commit and the adoption of the new version at 2 environments (an update every
    /// 25 × N decisions), and a pair takes ≈ 20 s on 2 quiet cores (≈ 6 min in all). The first,
    /// unrecorded pair in the process takes JIT and first-call costs; later actor systems start
    /// with compiled code, so 10 warm-up decisions cover a fresh system's own start.
    /// </summary>
    public BenchOptions Defaults => new() { WarmupDecisions = 10, Decisions = 25, Pairs = 16 };

    public async Task<string> RunAsync(BenchOptions options, TextWriter log)
    {
        if (options.RepeatsGiven) throw new InputException("overhead measures interleaved pairs: give --pairs, not --repeats");
        var environments = options.EnvironmentsOr(2)[0];
        using var workload = ChildWorkload.Load(options, log);
        // Four times the reference update rate (100 x N), so every timed window holds an
        // update, its commit and the policy adoptions: the actor variant pays for them in the window.
        var stepsPerUpdate = options.StepsPerUpdate > 0 ? options.StepsPerUpdate : 25 * environments;
        var config = ChildWorkload.ActorConfig(environments, options.TorchThreads, stepsPerUpdate, options.ActorConfig);
        var settings = ActorSettings.FromConfig(config);
        var torchThreads = settings.EffectiveTorchThreads(Environment.ProcessorCount);
        byte[] policyBlob;
        using (var initial = workload.CreateAgent(settings.LearnerSeed))
            policyBlob = initial.ToBlob();

        log.WriteLine($"overhead: {environments} environments, {torchThreads} torch threads, warm-up {options.WarmupDecisions} and window {options.Decisions} decisions per environment " +
                      $"({options.Decisions * environments * workload.ChildStepsPerDecision} child steps), learner batch {stepsPerUpdate} decisions, {options.Pairs} interleaved pairs" +
                      (options.ActorConfig == "" ? "" : $"; actor variant under \"{options.ActorConfig}\""));

        var pairs = new List<OverheadPair>();
        // Pair 0 is a short unrecorded pair: JIT, libtorch's first calls and SQLite's first open land there.
        for (var number = 0; number <= options.Pairs; number++)
        {
            var actorFirst = number % 2 == 0;
            var window = number == 0 ? 1 : options.Decisions;
            VariantWindow? actor = null, bare = null;
            foreach (var runActor in actorFirst ? new[] { true, false } : [false, true])
            {
                var meter = new DecisionMeter(options.WarmupDecisions * environments, window * environments);
                if (runActor) actor = await RunActorAsync(workload, settings, config, meter, Label(number), log);
                else bare = RunBare(workload, settings, environments, torchThreads, policyBlob, meter, Label(number), log);
            }
            if (number == 0) continue;
            var pair = new OverheadPair(number, actorFirst, actor!, bare!, Machine.LoadAverage().One);
            pairs.Add(pair);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pair {number} ({(actorFirst ? "actor first" : "bare first")}): ratio {pair.Ratio:F3}, per processor-second {pair.RatioPerProcessorSecond:F3}"));
        }

        var ratios = MedianInterval.Of(pairs.Select(p => p.Ratio));
        var perCpu = MedianInterval.Of(pairs.Select(p => p.RatioPerProcessorSecond));
        // The spread of fewer pairs than an interval needs says too little to extrapolate from.
        var spreadKnown = pairs.Count >= MedianInterval.LowerRankMinimum;
        var needed = spreadKnown ? MedianInterval.CountForWidth(pairs.Select(p => p.Ratio), Margin).ToString(CultureInfo.InvariantCulture) : "unknown";
        var neededPerCpu = spreadKnown ? MedianInterval.CountForWidth(pairs.Select(p => p.RatioPerProcessorSecond), Margin).ToString(CultureInfo.InvariantCulture) : "unknown";
        var loads = MedianInterval.Of(pairs.Select(p => p.Load));
        log.WriteLine($"  pair ratios (actor / bare child steps/s), in order: {Join(pairs.Select(p => p.Ratio))}");
        log.WriteLine($"  pair ratios per processor-second, in order:         {Join(pairs.Select(p => p.RatioPerProcessorSecond))}");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  actor {Median(pairs.Select(p => p.Actor.StepsPerSecond)):F1} child steps/s, bare {Median(pairs.Select(p => p.Bare.StepsPerSecond)):F1} (medians over the pairs)"));
        log.WriteLine($"  where the processor time went, summed over the pairs: actor variant: {WhereTimeWent(pairs.Select(p => p.Actor))}");
        log.WriteLine($"                                                     bare variant:  {WhereTimeWent(pairs.Select(p => p.Bare))}");
        log.WriteLine($"  median pair ratio {ratios}; target >= {Target:F2}: {ratios.Against(Target)}");
        log.WriteLine($"  per processor-second {perCpu}; target >= {Target:F2}: {perCpu.Against(Target)}");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  pairs for an interval narrower than the target's margin ({Margin:F2}): ≈ {needed} (robust spread of the pair ratios {MedianInterval.RobustSpread(pairs.Select(p => p.Ratio)):F3}); per processor-second ≈ {neededPerCpu}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"overhead: envs={environments} pairs={ratios.Count} ratio={ratios.Median:F3} [{ratios.Low:F3}, {ratios.High:F3}] target>={Target:F2} {ratios.Against(Target)} " +
            $"per-cpu-s ratio={perCpu.Median:F3} [{perCpu.Low:F3}, {perCpu.High:F3}] {perCpu.Against(Target)} " +
            $"pairs-for-width-{Margin:F2}={needed} load1m={loads.Median:F2} (min {pairs.Min(p => p.Load):F2}, max {pairs.Max(p => p.Load):F2})");
    }

    static async Task<VariantWindow> RunActorAsync(ChildWorkload workload, ActorSettings settings, Akka.Configuration.Config config, DecisionMeter meter, string label, TextWriter log)
    {
        var run = await ActorTraining.RunAsync(workload, settings, config, meter, TimeSpan.FromHours(1));
        var result = new VariantWindow(run.Decisions * workload.ChildStepsPerDecision / run.Window.TotalSeconds, meter.ProcessorsBusy,
            run.Decisions, run.Window.TotalSeconds, meter.ThreadSecondsByName);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label} actor: {result.StepsPerSecond:F1} child steps/s ({run.Window.TotalSeconds:F1} s window; policy v{run.PolicyVersion} after {run.Updates} updates, {run.DroppedStale} stale fragments; {meter.Usage}) {Machine.Load()}"));
        log.WriteLine($"      busiest threads: {meter.BusiestThreads}");
        return result;
    }

    static VariantWindow RunBare(ChildWorkload workload, ActorSettings settings, int environments, int torchThreads, byte[] policyBlob, DecisionMeter meter, string label, TextWriter log)
    {
        torch.set_num_threads(torchThreads);
        BareTraining.Run(environments, settings.FragmentDecisions, settings.EnvironmentSeed, policyBlob, _ => workload.CreateEnvironment(meter), meter);
        var result = new VariantWindow(meter.Measured * workload.ChildStepsPerDecision / meter.Window.TotalSeconds, meter.ProcessorsBusy,
            meter.Measured, meter.Window.TotalSeconds, meter.ThreadSecondsByName);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label} bare:  {result.StepsPerSecond:F1} child steps/s ({meter.Window.TotalSeconds:F1} s window; {meter.Usage}) {Machine.Load()}"));
        log.WriteLine($"      busiest threads: {meter.BusiestThreads}");
        return result;
    }

    /// <summary>
    /// Processor time per thread name (environment threads of either variant as one), as ms per
    /// decision and ms per second of window: a cost per decision is work, a cost per second is a
    /// timer or a poll, which grows with the window's length when other load slows the decisions.
    /// </summary>
    static string WhereTimeWent(IEnumerable<VariantWindow> windows)
    {
        var list = windows.ToList();
        var decisions = list.Sum(w => w.Decisions);
        var seconds = list.Sum(w => w.Seconds);
        var byName = list.SelectMany(w => w.ThreadSeconds)
            .GroupBy(t => t.Key.StartsWith("bare-env", StringComparison.Ordinal) ? "bare-env" : t.Key)
            .Select(g => (Name: g.Key, Seconds: g.Sum(t => t.Value)))
            .OrderByDescending(t => t.Seconds)
            .ToList();
        var shown = byName.Take(7).Select(t => string.Create(CultureInfo.InvariantCulture,
            $"{t.Name} {1000 * t.Seconds / decisions:F2} ms/decision ({1000 * t.Seconds / seconds:F1} ms/s)"));
        var rest = byName.Skip(7).Sum(t => t.Seconds);
        return string.Join(", ", shown) + string.Create(CultureInfo.InvariantCulture,
            $"; others {1000 * rest / decisions:F2} ms/decision; {decisions} decisions in {seconds:F0} s");
    }

    static double Median(IEnumerable<double> values) => MedianInterval.Of(values).Median;

    static string Join(IEnumerable<double> values) => string.Join(' ', values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));

    static string Label(int pair) => pair == 0 ? "warm-up pair (not recorded)" : $"pair {pair}";
}
