using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// `alrs seed` and `alrs worker` as separate OS processes on loopback: they form a cluster
/// and leave it gracefully on SIGTERM.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SeedWorkerProcessSpecs(ITestOutputHelper output)
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(25), StopTimeout = TimeSpan.FromSeconds(15);

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void Seed_and_worker_processes_form_a_cluster_and_leave_it_on_sigterm()
    {
        var port = FreeLoopbackPort();
        var readyFile = Path.Combine(Path.GetTempPath(), $"alrs-seed-ready-{Guid.NewGuid():N}");
        var store = Path.Combine(Path.GetTempPath(), $"alrs-seed-store-{Guid.NewGuid():N}");
        // The roles start real actors: small settings keep the worker's training light (it needs MNIST).
        using var seed = new NodeProcess("seed", output, new Dictionary<string, string> { ["ALRS_READY_FILE"] = readyFile },
            "seed", "--port", port.ToString(), "--preset", "quick", "--out", store);
        seed.WaitForLine($"alrs seed: up as akka.tcp://alrs@127.0.0.1:{port}", StartTimeout);
        Assert.True(File.Exists(readyFile), "an Up seed announces itself in ALRS_READY_FILE");

        using var worker = new NodeProcess("worker", output, null, "worker", "--seeds", $"127.0.0.1:{port}", "--preset", "quick", "--envs", "1");
        var workerUp = worker.WaitForLine("alrs worker: up as akka.tcp://alrs@127.0.0.1:", StartTimeout);
        var seedSeesWorker = seed.WaitForLine("[worker] (members up: 2)", StartTimeout);
        Assert.Contains("cluster: member up akka.tcp://alrs@127.0.0.1:", seedSeesWorker);
        Assert.DoesNotContain($":{port} ", workerUp); // the worker listens on its own port

        worker.Terminate();
        Assert.Equal(0, worker.WaitForExit(StopTimeout));
        worker.WaitForLine("alrs worker: left the cluster", TimeSpan.Zero);
        seed.WaitForLine("cluster: member removed akka.tcp://alrs@127.0.0.1:", StopTimeout);
        Assert.DoesNotContain(seed.Lines, l => l.Contains("learner: lost worker node", StringComparison.Ordinal)); // it left: not lost

        seed.Terminate();
        Assert.Equal(0, seed.WaitForExit(StopTimeout));
        seed.WaitForLine("alrs seed: left the cluster", TimeSpan.Zero);
        Assert.False(File.Exists(readyFile), "a seed that left removes its ALRS_READY_FILE");
        Assert.True(File.Exists(Path.Combine(store, "policies.db")), "without ALRS_POSTGRES the learner node keeps its store in SQLite under --out");
        Directory.Delete(store, recursive: true);
    }
}
