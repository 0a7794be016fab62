using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Messages;
using TorchSharp;

namespace Alrs.Bench;

/// <summary>
/// <c>capacity</c>: how far one learner goes. This process is the learner's node (the real
/// <see cref="LearnerActor"/> with its SQLite <see cref="PolicyStore"/>, behind a counting
/// <see cref="LearnerTap"/>); W worker processes (<see cref="CapacityWorker"/>) on loopback run
/// N environments between them, each a paced instant environment offering <c>rate</c>
/// decisions/s, with the per-node policy relay ("relay") or the learner sending every
/// environment its own copy ("direct"). Per N and fan-out, medians over the repeats of: what
/// the learner ingested, its PPO update time, bytes it serialised per version, publish time
/// (until the last environment adopted a version), its process's processor and memory use,
/// the workers' processor use, and policy lag at arrival.
/// </summary>
public sealed class CapacityBenchmark : IBenchmark
{
    public const string CoordinatorName = "capacity";

    public string Name => "capacity";
    public string Synopsis => "[--envs 16,64,256,1024] [--workers 3] [--rate 4] [--fanout relay,direct] [--seconds 8] [--repeats 3] [--steps-per-update S (2 s of offered decisions)]";

    /// <summary>One measured window.</summary>
    sealed record Figures(
        double Offered, double Arrived, double Ingested, double Fragments, int Versions, double UpdateMs, double BytesPerVersion,
        double CopiesPerVersion, double PublishMs, double LearnerCores, double LearnerThread, double LearnerMiB, double WorkerCores,
        double MachineCores, double LagMean, long LagMax, long Stale, string Load);

    sealed class Case(int environments, string fanout)
    {
        public int Environments { get; } = environments;
        public string Fanout { get; } = fanout;
        public List<Figures> Runs { get; } = [];
        public double Median(Func<Figures, double> figure)
        {
            var values = Runs.Select(figure).Where(double.IsFinite).Order().ToArray();
            if (values.Length == 0) return double.NaN;
            return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        }
    }

    /// <summary>The shipped actors, persistence and cluster files (the wire format), as plain remoting on loopback, counting policy bytes.</summary>
    public static Config ProcessConfig()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "hocon");
        var config = ConfigurationFactory.ParseString(PolicyByteCounter.Binding + """

            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.loglevel = WARNING
            # Bench-only control messages travel with Akka's default (JSON) serializer.
            akka.actor.ask-timeout = 120s
            # A store's first open (SQLite tables, JIT) can take long on a loaded machine.
            akka.persistence.journal-plugin-fallback.recovery-event-timeout = 300s
            akka.persistence.journal.sql.recovery-event-timeout = 300s
            """);
        foreach (var file in new[] { "cluster.hocon", "persistence.hocon", "actors.hocon" })
            config = config.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(directory, file))));
        return config;
    }

    public async Task<string> RunAsync(BenchOptions options, TextWriter log)
    {
        var counts = options.EnvironmentsOr(16, 64, 256, 1024);
        var repeats = options.RepeatsGiven ? options.Repeats : 3;
        var window = TimeSpan.FromSeconds(options.Seconds);
        var cases = counts.SelectMany(n => options.Fanouts.Select(f => new Case(n, f))).ToList();
        var environmentSettings = new EnvironmentSettings();
        var observationSize = ObservationFeatures.Create(environmentSettings.Observation).Size;
        var actionSpace = ActionMappings.For(environmentSettings).Space;

        torch.set_num_threads(1);
        var storeDirectory = Path.Combine(Path.GetTempPath(), "alrs-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(storeDirectory);
        var baseSettings = ActorSettings.FromConfig(ProcessConfig()) with { TorchThreads = 1 };
        // One SQLite file for every run; each learner run has its own persistence id.
        var config = TrainingSystem.ForRun(ProcessConfig(), baseSettings, storeDirectory);
        var record = new CapacityRecord();
        using var system = ActorSystem.Create("alrs-capacity", config);
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        system.ActorOf(CapacityCoordinator.Props(record), CoordinatorName);
        log.WriteLine($"capacity: learner process at {address}; {options.Workers} worker processes; {options.Rate} decisions/s per environment; " +
                      $"{window.TotalSeconds} s windows; {repeats} repeats of N = {string.Join(", ", counts)} × fan-out {string.Join(", ", options.Fanouts)}; " +
                      $"fragments of {baseSettings.FragmentDecisions} decisions, max-policy-lag {baseSettings.MaxPolicyLag}, learner on 1 libtorch thread");

        var workers = Enumerable.Range(0, options.Workers).Select(i => StartWorker(address.ToString(), i, log)).ToList();
        try
        {
            await WaitFor(() => record.Workers.Count == options.Workers, TimeSpan.FromMinutes(5), "worker processes to start");
            log.WriteLine($"  {options.Workers} worker processes ready {Machine.Load()}");
            var run = 0;
            for (var repeat = 0; repeat <= repeats; repeat++)
            {
                // Repeat 0 is one short unrecorded run: JIT, libtorch's first calls, SQLite's first open.
                foreach (var c in repeat == 0 ? cases.Take(1) : cases)
                {
                    var figures = await MeasureAsync(system, record, ++run, c.Environments, c.Fanout == "relay", options, baseSettings,
                        repeat == 0 ? TimeSpan.FromSeconds(2) : window, observationSize, actionSpace, log);
                    if (repeat > 0) c.Runs.Add(figures);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {(repeat == 0 ? "warm-up (not recorded)" : $"repeat {repeat}")} N={c.Environments} {c.Fanout}: offered {figures.Offered:F0}, arrived {figures.Arrived:F0}, " +
                        $"ingested {figures.Ingested:F0} decisions/s ({figures.Fragments:F1} fragments/s); {figures.Versions} versions, update {figures.UpdateMs:F1} ms, " +
                        $"{figures.BytesPerVersion:F0} B/version ({figures.CopiesPerVersion:F1} copies), publish {figures.PublishMs:F1} ms; " +
                        $"learner process {figures.LearnerCores:F2} cores (learner thread {figures.LearnerThread:F2}), {figures.LearnerMiB:F0} MiB; workers {figures.WorkerCores:F2} cores; " +
                        $"machine {figures.MachineCores:F2} cores busy; lag mean {figures.LagMean:F2} max {figures.LagMax}, stale {figures.Stale}; {figures.Load}"));
                }
            }
        }
        finally
        {
            foreach (var (index, worker) in record.Workers) worker.Tell(new ShutDownWorker(index));
            foreach (var process in workers) Stop(process);
            await system.Terminate();
            try { Directory.Delete(storeDirectory, recursive: true); }
            catch (IOException) { }
        }

        WriteTable(log, cases, options);
        return Summary(cases, options);
    }

    async Task<Figures> MeasureAsync(ActorSystem system, CapacityRecord record, int run, int environments, bool relay, BenchOptions options,
        ActorSettings baseSettings, TimeSpan window, int observationSize, Alrs.Learning.Rl.ActionSpace actionSpace, TextWriter log)
    {
        var offered = environments * options.Rate;
        var stepsPerUpdate = options.StepsPerUpdate > 0 ? options.StepsPerUpdate : Math.Max(200, (int)(2 * offered));
        var settings = baseSettings with { StepsPerUpdate = stepsPerUpdate, PersistenceId = $"capacity-{run}" };
        var store = system.ActorOf(PolicyStore.Props(settings), $"policy-store-{run}");
        var learner = system.ActorOf(LearnerActor.Props(settings, () => new PpoAgent(PpoSettings.Reimplementation, observationSize, actionSpace, 0), store), $"learner-{run}");
        var arrivals = new ArrivalCounters();
        var tap = system.ActorOf(LearnerTap.Props(learner, arrivals), $"tap-{run}");
        record.Run = run;
        var bytes = PolicyByteCounter.Of(system);
        // Version numbers start again with every run's learner: count this run's copies only.
        bytes.Sent.Clear();
        try
        {
            var shares = Enumerable.Range(0, options.Workers).Select(i => environments / options.Workers + (i < environments % options.Workers ? 1 : 0)).ToArray();
            var tapPath = tap.Path.ToStringWithAddress(((ExtendedActorSystem)system).Provider.DefaultAddress);
            await Task.WhenAll(record.Workers.Where(w => shares[w.Key] > 0).Select(w =>
                w.Value.Ask<RolloutsStarted>(new StartRollouts(run, shares[w.Key], relay, options.Rate, tapPath), TimeSpan.FromMinutes(2))));

            // Warm-up: every environment registered and sampling, and the learner past its first update.
            log.WriteLine($"    run {run}: {environments} environments started, learner batch {stepsPerUpdate} decisions; waiting for its first update {Machine.Load()}");
            var settle = Stopwatch.StartNew();
            await WaitFor(async () => settle.Elapsed > TimeSpan.FromSeconds(3)
                && (await tap.Ask<LearnerStatus>(GetLearnerStatus.Instance)).Version >= 1, TimeSpan.FromMinutes(3), "the learner's first update");

            var start = await Snapshot(tap, arrivals, record, run);
            arrivals.TakeMaxLag();
            await Task.Delay(window);
            var end = await Snapshot(tap, arrivals, record, run);
            var lagMax = arrivals.TakeMaxLag();
            var seconds = (end.Clock - start.Clock) / (double)Stopwatch.Frequency;

            // Versions published inside the window; give the last ones time to be adopted everywhere.
            var versions = record.Published.Where(p => p.Key.Run == run && p.Value.Timestamp >= start.Clock && p.Value.Timestamp <= end.Clock)
                .Select(p => (Version: p.Key.Version, p.Value.Timestamp, p.Value.UpdateSeconds)).OrderBy(v => v.Version).ToArray();
            var reporting = record.Workers.Keys.Where(w => shares[w] > 0).ToArray();
            await WaitFor(() => versions.All(v => reporting.All(w => record.Adopted.ContainsKey((run, v.Version, w)))), TimeSpan.FromSeconds(20), null);
            var publish = versions
                .Where(v => reporting.All(w => record.Adopted.ContainsKey((run, v.Version, w))))
                .Select(v => (reporting.Max(w => record.Adopted[(run, v.Version, w)]) - v.Timestamp) * 1000.0 / Stopwatch.Frequency).ToArray();
            var sent = versions.Where(v => bytes.Sent.ContainsKey(v.Version)).Select(v => bytes.Sent[v.Version]).ToArray();

            return new Figures(
                offered,
                (end.Arrived.Decisions - start.Arrived.Decisions) / seconds,
                (end.Status.DecisionsUsed + end.Status.BufferedDecisions - start.Status.DecisionsUsed - start.Status.BufferedDecisions) / seconds,
                (end.Status.FragmentsReceived - start.Status.FragmentsReceived) / seconds,
                versions.Length,
                Median(versions.Select(v => v.UpdateSeconds * 1000)),
                Median(sent.Select(s => (double)s.Bytes)),
                Median(sent.Select(s => (double)s.Copies)),
                Median(publish),
                (end.Cpu - start.Cpu) / seconds,
                (end.LearnerThread - start.LearnerThread) / seconds,
                end.ResidentBytes / 1024.0 / 1024.0,
                (end.WorkerCpu - start.WorkerCpu) / seconds,
                (end.MachineBusy - start.MachineBusy) / seconds,
                end.Arrived.Fragments > start.Arrived.Fragments ? (end.Arrived.LagSum - start.Arrived.LagSum) / (double)(end.Arrived.Fragments - start.Arrived.Fragments) : double.NaN,
                lagMax,
                end.Status.DroppedStale - start.Status.DroppedStale,
                Machine.Load());
        }
        finally
        {
            await Task.WhenAll(record.Workers.Select(w => w.Value.Ask<RolloutsStopped>(new StopRollouts(run), TimeSpan.FromMinutes(3))));
            await tap.GracefulStop(TimeSpan.FromSeconds(30));
            await learner.GracefulStop(TimeSpan.FromSeconds(60));
            await store.GracefulStop(TimeSpan.FromSeconds(30));
        }
    }

    sealed record Point(long Clock, LearnerStatus Status, (long Fragments, long Decisions, long LagSum) Arrived, double Cpu, double LearnerThread,
        long ResidentBytes, double WorkerCpu, double MachineBusy);

    static async Task<Point> Snapshot(IActorRef tap, ArrivalCounters arrivals, CapacityRecord record, int run)
    {
        var clock = Stopwatch.GetTimestamp();
        var arrived = arrivals.Read();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime.TotalSeconds;
        var learnerThread = ThreadUsage.Snapshot().Values.Where(t => t.Name.StartsWith("alrs-learner", StringComparison.Ordinal)).Select(t => t.Seconds).DefaultIfEmpty(double.NaN).Sum();
        var machine = MachineBusySeconds();
        var usage = await Task.WhenAll(record.Workers.Values.Select(w => w.Ask<WorkerUsage>(new GetUsage(run))));
        // The status answers after the fragments queued before it: counters as of now, or a little after.
        var status = await tap.Ask<LearnerStatus>(GetLearnerStatus.Instance);
        return new Point(clock, status, arrived, cpu, learnerThread, process.WorkingSet64, usage.Sum(u => u.CpuSeconds), machine);
    }

    /// <summary>Busy processor-seconds of the whole machine so far (/proc/stat: everything but idle and iowait); NaN elsewhere.</summary>
    static double MachineBusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (fields.Sum() - fields[3] - fields[4]) / 100.0;
        }
        catch (IOException) { return double.NaN; }
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    static async Task WaitFor(Func<bool> condition, TimeSpan timeout, string? what) => await WaitFor(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Polls <paramref name="condition"/>; a benchmark harness waiting on other processes, not actor synchronisation.</summary>
    static async Task WaitFor(Func<Task<bool>> condition, TimeSpan timeout, string? what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                if (what is null) return;
                throw new TimeoutException($"capacity: gave up waiting {timeout.TotalSeconds:F0} s for {what}");
            }
            await Task.Delay(100);
        }
    }

    static Process StartWorker(string seedAddress, int index, TextWriter log)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this process's executable to start workers");
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Under `dotnet alrs-bench.dll` the executable is dotnet itself.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(CapacityBenchmark).Assembly.Location);
        foreach (var arg in new[] { CapacityWorkerProcess.Command, seedAddress, index.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start a worker process");
        process.OutputDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) log.WriteLine($"  [worker {index}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) log.WriteLine($"  [worker {index}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20))) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }

    static void WriteTable(TextWriter log, IReadOnlyList<Case> cases, BenchOptions options)
    {
        log.WriteLine();
        log.WriteLine($"| N | fan-out | offered | ingested decisions/s | fragments/s | PPO update ms | publish ms | bytes/version | copies | learner cores (thread) | learner MiB | worker cores | machine cores | lag mean (max) |");
        log.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in cases)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Environments} | {c.Fanout} | {c.Median(f => f.Offered):F0} | {c.Median(f => f.Ingested):F0} | {c.Median(f => f.Fragments):F1} | {c.Median(f => f.UpdateMs):F1} | " +
                $"{c.Median(f => f.PublishMs):F1} | {c.Median(f => f.BytesPerVersion):F0} | {c.Median(f => f.CopiesPerVersion):F0} | {c.Median(f => f.LearnerCores):F2} ({c.Median(f => f.LearnerThread):F2}) | " +
                $"{c.Median(f => f.LearnerMiB):F0} | {c.Median(f => f.WorkerCores):F2} | {c.Median(f => f.MachineCores):F2} | {c.Median(f => f.LagMean):F2} ({c.Runs.Select(r => r.LagMax).DefaultIfEmpty(0).Max()}) |"));
        log.WriteLine($"(medians of {cases.Max(c => c.Runs.Count)} runs; {options.Workers} worker processes; rate {options.Rate} decisions/s per environment)");
    }

    /// <summary>
    /// The summary line, and where the learner saturates: the first N whose ingest falls below
    /// 90 % of what the environments offered, and the resource that is full there.
    /// </summary>
    static string Summary(IReadOnlyList<Case> cases, BenchOptions options)
    {
        var primary = cases.Where(c => c.Fanout == options.Fanouts[0]).OrderBy(c => c.Environments).ToList();
        string F(Func<Case, double> figure, string format) => string.Join("/", primary.Select(c => figure(c).ToString(format, CultureInfo.InvariantCulture)));
        var bytes = string.Join(" ", options.Fanouts.Select(f =>
            $"{f}:{string.Join("/", cases.Where(c => c.Fanout == f).OrderBy(c => c.Environments).Select(c => c.Median(x => x.BytesPerVersion).ToString("F0", CultureInfo.InvariantCulture)))}"));

        var saturated = primary.FirstOrDefault(c => c.Median(f => f.Ingested) < 0.9 * c.Median(f => f.Offered));
        string saturation;
        if (saturated is null)
        {
            var last = primary.Last();
            saturation = string.Create(CultureInfo.InvariantCulture,
                $"not saturated up to N={last.Environments} ({last.Median(f => f.Ingested):F0} of {last.Median(f => f.Offered):F0} decisions/s ingested; learner thread {last.Median(f => f.LearnerThread):F2} busy, machine {last.Median(f => f.MachineCores):F2} of {Environment.ProcessorCount} cores)");
        }
        else
        {
            var thread = saturated.Median(f => f.LearnerThread);
            var machine = saturated.Median(f => f.MachineCores);
            var resource = thread >= 0.85 ? $"the learner's thread ({thread:F2} busy)"
                : machine >= 0.9 * Environment.ProcessorCount ? $"the machine's processors ({machine:F2} of {Environment.ProcessorCount} cores busy; workers {saturated.Median(f => f.WorkerCores):F2}, learner process {saturated.Median(f => f.LearnerCores):F2})"
                : $"neither the learner thread ({thread:F2}) nor the machine ({machine:F2} cores) is full: look at the run lines";
            saturation = string.Create(CultureInfo.InvariantCulture,
                $"saturates at N={saturated.Environments} ({saturated.Median(f => f.Ingested):F0} of {saturated.Median(f => f.Offered):F0} decisions/s ingested), first full: {resource}");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"capacity: envs={string.Join("/", primary.Select(c => c.Environments))} ingest={F(c => c.Median(f => f.Ingested), "F0")} decisions/s " +
            $"publish-bytes/version={bytes} lag={F(c => c.Median(f => f.LagMean), "F2")} ({options.Fanouts[0]}; {options.Workers} workers, {options.Rate}/s per env); {saturation}; {Machine.Load()}");
    }
}
