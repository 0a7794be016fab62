using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning.Environments;
using Alrs.Torch;
using Alrs.Messages;
using TorchSharp;

namespace Alrs.Bench;

/// <summary>The worker process of the capacity benchmark: an actor system hosting one <see cref="CapacityWorker"/>.</summary>
public static class CapacityWorkerProcess
{
    public const string Command = "capacity-worker";

    /// <summary>The worker process's main: runs until the benchmark shuts it down (or its parent is gone).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 2 || !int.TryParse(args[1], out var index))
        {
            Console.Error.WriteLine($"usage: alrs-bench {Command} SEED-ADDRESS INDEX (started by the capacity benchmark)");
            return 2;
        }
        TorchRuntime.EnsureLoadable();
        torch.set_num_threads(1);
        var config = CapacityBenchmark.ProcessConfig();
        var settings = ActorSettings.FromConfig(config) with { TorchThreads = 1, EnvironmentSeed = 1000 * index };
        using var system = ActorSystem.Create("alrs-capacity", config);
        system.ActorOf(Props.Create(() => new CapacityWorker(index, settings, system.ActorSelection($"{args[0]}/user/{CapacityBenchmark.CoordinatorName}"))), "worker");
        // The parent's end closes our stdin: do not outlive a killed benchmark.
        _ = Task.Run(() =>
        {
            Console.In.ReadToEnd();
            system.Terminate();
        });
        await system.WhenTerminated;
        return 0;
    }
}
