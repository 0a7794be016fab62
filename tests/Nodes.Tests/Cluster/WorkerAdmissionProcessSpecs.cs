using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// A worker whose configuration disagrees with the learner's is refused at the door: as
/// separate OS processes on loopback, it exits 2 with one line naming the setting and both
/// values, instead of joining and failing every episode.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkerAdmissionProcessSpecs(ITestOutputHelper output)
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void A_worker_with_other_observation_features_exits_2_naming_both_values()
    {
        var port = FreeLoopbackPort();
        var store = Path.Combine(Path.GetTempPath(), $"alrs-admission-store-{Guid.NewGuid():N}");
        var workerConfig = Path.Combine(Path.GetTempPath(), $"alrs-admission-{Guid.NewGuid():N}.hocon");
        File.WriteAllText(workerConfig, "alrs.env.observation = authors\n");
        try
        {
            using var seed = new NodeProcess("seed", output, null, "seed", "--port", port.ToString(), "--preset", "quick", "--out", store);
            seed.WaitForLine($"alrs seed: up as akka.tcp://alrs@127.0.0.1:{port}", StartTimeout);

            using var worker = new NodeProcess("worker", output, null,
                "worker", "--seeds", $"127.0.0.1:{port}", "--preset", "quick", "--config", workerConfig, "--envs", "1");
            var refused = worker.WaitForLine("alrs worker: refused by the learner:", StartTimeout);
            Assert.Equal(2, worker.WaitForExit(TimeSpan.FromSeconds(30)));

            Assert.Contains("alrs.env.observation differs (learner: reimplementation-log + progress (8 features); this worker: authors + progress (10 features))", refused);
            Assert.DoesNotContain(worker.Lines, l => l.Contains("environments on", StringComparison.Ordinal)); // no environment ever started
            Assert.Single(worker.Lines, l => l.Contains("refused by the learner", StringComparison.Ordinal) && l.StartsWith("alrs worker:", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(workerConfig);
            try { Directory.Delete(store, recursive: true); } catch (IOException) { }
        }
    }
}
