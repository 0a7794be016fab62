using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Alrs.Learning.Data;
using Alrs.Tests.Shared;
using Xunit.Abstractions;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// <c>alrs seed --controllers 2</c> and one <c>alrs worker</c> as separate OS processes on
/// loopback (the seed's SQLite store), on real MNIST with tiny episodes: both controllers
/// train on the worker's shared environments, each numbering its own versions, and the seed
/// finishes after both controllers' episodes together.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class PopulationClusterProcessSpecs(ITestOutputHelper output)
{
    static readonly TimeSpan Start = TimeSpan.FromSeconds(40), Progress = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"^learner: published controller=(\d+) version=(\d+)")]
    private static partial Regex Published();

    [GeneratedRegex(@"^learner: episode \d+/\d+ from (\S+) .* controller=(\d+)$")]
    private static partial Regex Episode();

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void Two_controllers_on_a_seed_train_on_a_workers_shared_environments()
    {
        var data = TestDatasets.DataDirWith(DatasetId.Mnist);
        var (seedPort, workerPort) = (FreeLoopbackPort(), FreeLoopbackPort());
        var store = Path.Combine(Path.GetTempPath(), $"alrs-population-store-{Guid.NewGuid():N}");
        var config = Path.Combine(Path.GetTempPath(), $"alrs-population-{Guid.NewGuid():N}.hocon");
        File.WriteAllText(config, $$"""
            alrs.env { dataset = mnist, arch = mlp, steps = 40, batch-size = 64, decision-interval = 10,
                       validation-size = 1000, validation-samples = 256, evaluation-batch-size = 256 }
            alrs.data.dir = "{{data.Replace("\\", "\\\\")}}"
            alrs.actors.learner.steps-per-update = 8
            alrs.actors.environments.fragment-decisions = 2
            alrs.actors.environments.torch-threads = 1
            alrs.worker.environments = 2
            """);
        try
        {
            using var seed = new NodeProcess("seed", output, null,
                "seed", "--port", $"{seedPort}", "--seeds", $"127.0.0.1:{seedPort}", "--config", config, "--controllers", "2", "--episodes", "4", "--out", store);
            seed.WaitForLine("alrs seed: up as", Start);
            seed.WaitForLine("training 2 controllers, 8 episodes in all", TimeSpan.Zero);
            using var worker = new NodeProcess("worker", output, null, "worker", "--port", $"{workerPort}", "--seeds", $"127.0.0.1:{seedPort}", "--config", config);

            seed.WaitForLine("learner: finished 8 episodes", Start + Progress);
            Assert.Equal(0, seed.WaitForExit(TimeSpan.FromSeconds(30)));

            var lines = seed.Lines;
            // Both controllers played episodes on the worker's environments.
            var episodes = lines.Select(l => Episode().Match(l)).Where(m => m.Success).ToArray();
            Assert.All(episodes, m => Assert.StartsWith($"127.0.0.1:{workerPort}#", m.Groups[1].Value));
            Assert.Equal(["0", "1"], episodes.Select(m => m.Groups[2].Value).Distinct().Order());
            // Each controller numbers its own versions, strictly increasing, and both trained.
            var published = lines.Select(l => Published().Match(l)).Where(m => m.Success)
                .Select(m => (Controller: int.Parse(m.Groups[1].Value), Version: long.Parse(m.Groups[2].Value))).ToArray();
            foreach (var controller in new[] { 0, 1 })
            {
                var versions = published.Where(p => p.Controller == controller).Select(p => p.Version).ToArray();
                Assert.True(versions.Length >= 2 && versions[0] == 0, $"controller {controller}: {string.Join(",", versions)}");
                Assert.True(versions.Zip(versions.Skip(1)).All(p => p.Item2 == p.Item1 + 1), $"controller {controller}: {string.Join(",", versions)}");
            }
            // No fragment reached the wrong controller.
            Assert.DoesNotContain(lines, l => l.StartsWith("learner: controller=", StringComparison.Ordinal) && !l.Contains(" malformed=0 ", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(config);
            if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
        }
    }
}
