using System.Globalization;
using Alrs.Actors;
using TorchSharp;

namespace Alrs.Bench;

/// <summary>
/// <c>overhead</c>: N environment actors training inside the actor system against N bare
/// training loops on N threads, same environments, same acting code, same libtorch thread
/// count, same number of child steps timed by the same meter. The actor variant also pays
/// for everything the system does around sampling (messages, the learner's PPO updates,
/// committing versions to SQLite, adopting new policies), so the ratio charges all of it.
/// Repeats alternate which variant runs first, so slow drifts in machine load hit both.
/// </summary>
public sealed class OverheadBenchmark : IBenchmark
{
    public const double Target = 0.97;

    public string Name => "overhead";
    public string Synopsis => "[--envs N (2)] [--repeats K] [--warmup W (30)] [--decisions D (50)] [--torch-threads T] [--steps-per-update S (25 x N)] [workload flags]";

    /// <summary>
    /// Steady state by default: a fresh actor system spends its first ≈ 10 s re-compiling hot
    /// code (tiered JIT) and writing its first snapshots; 30 warm-up decisions put that before the
    /// clock (docs/benchmarks.md), and 50 decisions per window hold 3 PPO updates at 2 environments.
    /// </summary>
    public BenchOptions Defaults => new() { WarmupDecisions = 30, Decisions = 50 };

    public async Task<string> RunAsync(BenchOptions options, TextWriter log)
    {
        var environments = options.EnvironmentsOr(2)[0];
        using var workload = ChildWorkload.Load(options, log);
        // Four times the reference update rate (100 x N), so every timed window holds several
        // updates, commits and policy adoptions: the actor variant pays for them in the window.
        var stepsPerUpdate = options.StepsPerUpdate > 0 ? options.StepsPerUpdate : 25 * environments;
        var config = ChildWorkload.ActorConfig(environments, options.TorchThreads, stepsPerUpdate);
        var settings = ActorSettings.FromConfig(config);
        var torchThreads = settings.EffectiveTorchThreads(Environment.ProcessorCount);
        byte[] policyBlob;
        using (var initial = workload.CreateAgent(settings.LearnerSeed))
            policyBlob = initial.ToBlob();

        log.WriteLine($"overhead: {environments} environments, {torchThreads} torch threads, warm-up {options.WarmupDecisions} and window {options.Decisions} decisions per environment " +
                      $"({options.Decisions * environments * workload.ChildStepsPerDecision} child steps), learner batch {stepsPerUpdate} decisions, {options.Repeats} paired repeats");

        var actor = new Samples("steps/s");
        var bare = new Samples("steps/s");
        var ratios = new Samples("x");
        // Per processor-second: what each variant does with the CPU time it got. On a shared
        // machine the CPU share a process gets swings with other load; this ratio does not.
        var actorEfficiency = new Samples("steps/cpu-s");
        var bareEfficiency = new Samples("steps/cpu-s");
        var efficiencyRatios = new Samples("x");
        var loads = new Samples("");
        // Repeat 0 is a short unrecorded pair: JIT, libtorch's first calls and SQLite's first open land there.
        for (var repeat = 0; repeat <= options.Repeats; repeat++)
        {
            double actorRate = 0, bareRate = 0, actorPerCpu = 0, barePerCpu = 0;
            var window = repeat == 0 ? 1 : options.Decisions;
            foreach (var actorFirst in repeat % 2 == 1 ? new[] { false, true } : new[] { true, false })
            {
                var meter = new DecisionMeter(options.WarmupDecisions * environments, window * environments);
                if (actorFirst)
                {
                    var run = await ActorTraining.RunAsync(workload, settings, config, meter, TimeSpan.FromHours(1));
                    actorRate = run.Decisions * workload.ChildStepsPerDecision / run.Window.TotalSeconds;
                    actorPerCpu = actorRate / meter.ProcessorsBusy;
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {Label(repeat)} actor: {actorRate:F1} child steps/s ({run.Window.TotalSeconds:F1} s window; policy v{run.PolicyVersion} after {run.Updates} updates, {run.DroppedStale} stale fragments; {meter.Usage}) {Machine.Load()}"));
                    log.WriteLine($"      busiest threads: {meter.BusiestThreads}");
                }
                else
                {
                    torch.set_num_threads(torchThreads);
                    BareTraining.Run(environments, settings.FragmentDecisions, settings.EnvironmentSeed, policyBlob, _ => workload.CreateEnvironment(meter), meter);
                    bareRate = meter.Measured * workload.ChildStepsPerDecision / meter.Window.TotalSeconds;
                    barePerCpu = bareRate / meter.ProcessorsBusy;
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {Label(repeat)} bare:  {bareRate:F1} child steps/s ({meter.Window.TotalSeconds:F1} s window; {meter.Usage}) {Machine.Load()}"));
                    log.WriteLine($"      busiest threads: {meter.BusiestThreads}");
                }
            }
            if (repeat == 0) continue;
            actor.Add(actorRate);
            bare.Add(bareRate);
            ratios.Add(actorRate / bareRate);
            actorEfficiency.Add(actorPerCpu);
            bareEfficiency.Add(barePerCpu);
            efficiencyRatios.Add(actorPerCpu / barePerCpu);
            loads.Add(Machine.LoadAverage().One);
        }

        log.WriteLine($"  actor {actor.Describe()}");
        log.WriteLine($"  bare  {bare.Describe()}");
        log.WriteLine($"  ratio (per repeat) {ratios.Describe("F3")}; target >= {Target:F2}");
        log.WriteLine($"  per processor-second: actor {actorEfficiency.Describe()}, bare {bareEfficiency.Describe()}, ratio {efficiencyRatios.Describe("F3")}");
        return string.Create(CultureInfo.InvariantCulture,
            $"overhead: envs={environments} actor={actor.Median:F1} steps/s bare={bare.Median:F1} steps/s ratio={ratios.Median:F3} " +
            $"(min {ratios.Min:F3}, max {ratios.Max:F3}; median of {ratios.Count}) target>={Target:F2} {(ratios.Median >= Target ? "met" : "MISSED")} " +
            $"per-cpu-s ratio={efficiencyRatios.Median:F3} (min {efficiencyRatios.Min:F3}, max {efficiencyRatios.Max:F3}) " +
            $"load1m={loads.Median:F2} (min {loads.Min:F2}, max {loads.Max:F2})");
    }

    static string Label(int repeat) => repeat == 0 ? "warm-up (not recorded)" : $"repeat {repeat}";
}
