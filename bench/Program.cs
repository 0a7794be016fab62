using Alrs.Bench;
using Alrs.Learning;
using Alrs.Torch;

// alrs-bench <name> [flags]: runs one benchmark, prints its details, then one summary line last.
IBenchmark[] benchmarks = [new OverheadBenchmark(), new LearnerBenchmark(), new ScalingBenchmark(), new CapacityBenchmark(), new PopulationBenchmark()];

// A worker process of the capacity benchmark, started by it (not a benchmark of its own).
if (args.Length > 0 && args[0] == CapacityWorkerProcess.Command) return await CapacityWorkerProcess.RunAsync(args[1..]);

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: dotnet run -c Release --project bench -- <benchmark> [flags]");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name} {b.Synopsis}");
    Console.WriteLine("  workload flags: --dataset mnist --arch mlp --batch-size 1000 --validation-samples 10000 --data-dir DIR");
    return args.Length == 0 ? 2 : 0;
}

var benchmark = benchmarks.FirstOrDefault(b => b.Name == args[0]);
if (benchmark is null)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}' (known: {string.Join(", ", benchmarks.Select(b => b.Name))})");
    return 2;
}

try
{
    var options = BenchOptions.Parse(args[1..], benchmark.Defaults);
    TorchRuntime.EnsureLoadable();
    Console.WriteLine(Machine.Describe());
    Console.WriteLine($"start: {DateTime.Now:yyyy-MM-dd HH:mm:ss} {Machine.Load()}; command: {benchmark.Name} {string.Join(' ', args[1..])}");
    var summary = await benchmark.RunAsync(options, Console.Out);
    Console.WriteLine($"end: {DateTime.Now:yyyy-MM-dd HH:mm:ss} {Machine.Load()}");
    Console.WriteLine(summary);
    return 0;
}
catch (InputException e)
{
    Console.Error.WriteLine($"{benchmark.Name}: {e.Message}");
    return 2;
}
