using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Alrs.Learning.Data;
using Xunit.Abstractions;
using Alrs.Tests.Shared;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// The acceptance run of the cluster: `alrs seed` and two `alrs worker`s as separate OS
/// processes on loopback, sharing the real PostgreSQL store (ALRS_TEST_POSTGRES) and training
/// on real MNIST with tiny episodes (4 decisions of 10 steps). A worker is SIGKILLed
/// mid-episode, then the learner's node, which is started again.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterTrainingProcessSpecs(ITestOutputHelper output)
{
    static readonly TimeSpan Start = TimeSpan.FromSeconds(40), Progress = TimeSpan.FromSeconds(40);

    [GeneratedRegex(@"^learner: published version=(\d+)")]
    private static partial Regex Published();

    [GeneratedRegex(@"^learner: version=(\d+) .*duplicates=(\d+) .*lost-nodes=(\d+)")]
    private static partial Regex Status();

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static long? PublishedVersion(string line) => Published().Match(line) is { Success: true } m ? long.Parse(m.Groups[1].Value) : null;

    [SkippableFact]
    public void Training_survives_a_killed_worker_and_resumes_from_the_stored_version_after_the_learner_node_restarts()
    {
        var postgres = TestPostgres.Require();
        var data = TestDatasets.DataDirWith(DatasetId.Mnist);

        var (seedPort, worker1Port, worker2Port) = (FreeLoopbackPort(), FreeLoopbackPort(), FreeLoopbackPort());
        var config = Path.Combine(Path.GetTempPath(), $"alrs-cluster-{Guid.NewGuid():N}.hocon");
        // Same settings on every node. SBR timings shortened so the run fits in a test;
        // a fresh persistence id keeps reruns against the same database apart.
        File.WriteAllText(config, $$"""
            alrs.env { dataset = mnist, arch = mlp, steps = 40, batch-size = 64, decision-interval = 10,
                       validation-size = 1000, validation-samples = 256, evaluation-batch-size = 256 }
            alrs.data.dir = "{{data.Replace("\\", "\\\\")}}"
            alrs.actors.learner.steps-per-update = 8
            alrs.actors.learner.max-policy-lag = 4
            alrs.actors.environments.fragment-decisions = 2
            alrs.actors.environments.torch-threads = 1
            alrs.worker.environments = 1
            alrs.store.persistence-id = "alrs-cluster-spec-{{Guid.NewGuid():N}}"
            akka.cluster.split-brain-resolver.stable-after = 5s
            akka.cluster.down-removal-margin = 5s
            """);
        var environment = new Dictionary<string, string> { ["ALRS_POSTGRES"] = postgres };
        string[] seedArgs = ["seed", "--port", $"{seedPort}", "--seeds", $"127.0.0.1:{seedPort},127.0.0.1:{worker1Port}", "--config", config];
        NodeProcess Worker(string name, int port) =>
            new(name, output, null, "worker", "--port", $"{port}", "--seeds", $"127.0.0.1:{seedPort}", "--config", config);

        try
        {
            using var seed = new NodeProcess("seed", output, environment, [.. seedArgs, "--episodes", "100000"]);
            seed.WaitForLine("alrs seed: up as", Start);
            using var worker1 = Worker("worker-1", worker1Port);
            var worker2 = Worker("worker-2", worker2Port);
            try
            {
                seed.WaitForLine(l => Status().Match(l) is { Success: true } m && long.Parse(m.Groups[1].Value) >= 2 && l.Contains(" environments=2 ", StringComparison.Ordinal),
                    "status with version >= 2 from both workers", Start + Progress);

                // SIGKILL worker 2 right after one of its episodes ended: the next one is in flight.
                seed.WaitForLine(l => l.Contains($"from 127.0.0.1:{worker2Port}#", StringComparison.Ordinal) && l.Contains("learner: episode", StringComparison.Ordinal),
                    "an episode from worker 2", Progress);
                worker2.Kill();
                var versionAtKill = seed.Lines.Select(PublishedVersion).Max() ?? 0;
                seed.WaitForLine($"learner: lost worker node akka.tcp://alrs@127.0.0.1:{worker2Port}", Progress);
                seed.WaitForLine(l => PublishedVersion(l) >= versionAtKill + 2, "two more versions after the worker died", Progress);
                seed.WaitForLine(l => Status().Match(l) is { Success: true } m && m.Groups[3].Value == "1", "status reporting 1 lost node", Progress);
                seed.WaitForLine($"cluster: member removed akka.tcp://alrs@127.0.0.1:{worker2Port}", Progress);
            }
            finally
            {
                worker2.Dispose();
            }

            // A supervisor would restart the killed worker: 3 members again, so the workers keep
            // the majority when the learner's node dies.
            using var worker3 = Worker("worker-3", worker2Port);
            seed.WaitForLine(l => l.Contains($"member up akka.tcp://alrs@127.0.0.1:{worker2Port}", StringComparison.Ordinal) && l.Contains("(members up: 3)", StringComparison.Ordinal),
                "the restarted worker up", Start);

            var firstRun = seed.Lines;
            seed.Kill();
            var lastBefore = firstRun.Select(PublishedVersion).Max() ?? -1;

            // 12 episodes: the workers' fragments that the killed learner never acknowledged come back
            // first (the new learner reports the gap), then enough new ones for an update.
            using var restarted = new NodeProcess("seed-restarted", output, environment, [.. seedArgs, "--episodes", "12"]);
            restarted.WaitForLine("alrs seed: up as", Start);
            var resumed = restarted.WaitForLine(l => Status().IsMatch(l), "the recovered learner's status", Start);
            var resumedVersion = long.Parse(Status().Match(resumed).Groups[1].Value);
            Assert.True(resumedVersion >= lastBefore && resumedVersion > 0,
                $"the restarted learner resumed at version {resumedVersion}, the killed one had published {lastBefore}");
            restarted.WaitForLine("learner: finished 12 episodes", Progress);
            Assert.Equal(0, restarted.WaitForExit(TimeSpan.FromSeconds(30)));

            var secondRun = restarted.Lines;
            var versions = firstRun.Concat(secondRun).Select(PublishedVersion).OfType<long>().ToArray();
            Assert.True(versions.Length >= 4, $"only {versions.Length} versions were published");
            Assert.True(versions.Zip(versions.Skip(1)).All(p => p.Item2 > p.Item1),
                $"published versions must strictly increase across both learner runs: {string.Join(", ", versions)}");
            Assert.True(secondRun.Select(PublishedVersion).OfType<long>().Any(v => v > resumedVersion), "the restarted learner published new versions");
            // Before the restart nothing arrives twice. After it, the workers re-send what the killed
            // learner had not acknowledged: those are recognised by the restored watermarks and
            // counted as duplicates, not trained on again (LearnerRestartSpecs checks the watermark).
            var statuses = firstRun.Select(l => Status().Match(l)).Where(m => m.Success).ToArray();
            Assert.All(statuses, m => Assert.Equal("0", m.Groups[2].Value));
        }
        finally
        {
            File.Delete(config);
        }
    }
}
