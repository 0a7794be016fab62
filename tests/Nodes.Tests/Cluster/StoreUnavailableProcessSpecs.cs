using System.Net;
using System.Net.Sockets;
using Alrs.Learning.Data;
using Alrs.Tests.Shared;
using Xunit.Abstractions;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// A policy store that never becomes available (a PostgreSQL address where nothing listens):
/// `alrs train` must not hang or spin; after store-unavailable-timeout it exits 1 with one
/// line naming the store and the cause.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StoreUnavailableProcessSpecs(ITestOutputHelper output)
{
    static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed
    }

    [Fact]
    public void Train_exits_1_naming_the_store_and_the_cause_when_the_store_stays_unavailable()
    {
        var data = TestDatasets.DataDirWith(DatasetId.Mnist);
        var runDir = Path.Combine(Path.GetTempPath(), $"alrs-unavailable-{Guid.NewGuid():N}");
        var config = runDir + ".hocon";
        File.WriteAllText(config, $$"""
            alrs.env { steps = 40, batch-size = 64, decision-interval = 10, validation-samples = 256, evaluation-batch-size = 256 }
            alrs.data.dir = "{{data.Replace("\\", "\\\\")}}"
            alrs.store { provider-name = "PostgreSQL.15", connection-string = "Host=127.0.0.1;Port={{ClosedLoopbackPort()}};Database=alrs;Username=alrs;Password=x;Timeout=2",
                         backoff-min = 200ms, backoff-max = 1s, request-timeout = 2s, retry-interval = 500ms }
            alrs.actors.learner.store-unavailable-timeout = 5s
            """);
        try
        {
            using var train = new NodeProcess("train", output, new Dictionary<string, string> { ["ALRS_CTL_PORT"] = "0" },
                "train", "--config", config, "--episodes", "4", "--envs", "1", "--evaluate", "none", "--out", runDir);
            Assert.Equal(1, train.WaitForExit(TimeSpan.FromSeconds(120)));

            var lines = train.Lines;
            var failure = Assert.Single(lines, l => l.StartsWith("alrs train: failed:", StringComparison.Ordinal));
            Assert.Contains("policy store", failure);
            Assert.Contains("longer than alrs.actors.learner.store-unavailable-timeout", failure);
            Assert.Contains($"127.0.0.1", failure);
            // No spinning: the store is retried on its backoff (0.2 s doubling to 1 s here), so
            // a few attempts in 5 s, not thousands. Akka.Persistence.Sql logs each failed
            // initialisation of its journal and snapshot store with a stack trace (about 5 kB
            // each, its own logging), hence the byte bound is loose; the bug fixed here wrote 1 MB/s.
            var attempts = lines.Count(l => l.Contains("Failed to initialize SQL Journal", StringComparison.Ordinal));
            Assert.InRange(attempts, 1, 30);
            Assert.True(lines.Sum(l => l.Length + 1) < 400_000, $"{lines.Sum(l => l.Length + 1)} bytes of output in 5 s");
        }
        finally
        {
            File.Delete(config);
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        }
    }
}
