using Alrs.Learning.Data;
using Alrs.Tests.Shared;
using Xunit.Abstractions;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// `alrs train` stopped with SIGTERM (kill, docker stop), as an OS process: it stops like
/// Ctrl-C, says where the committed versions are and how to resume, exits 130, and
/// `--resume` continues from them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TrainSigtermProcessSpecs(ITestOutputHelper output)
{
    [Fact]
    public void Sigterm_stops_train_with_a_resume_hint_and_the_run_resumes()
    {
        var data = TestDatasets.DataDirWith(DatasetId.Mnist);
        var runDir = Path.Combine(Path.GetTempPath(), $"alrs-sigterm-{Guid.NewGuid():N}");
        var config = runDir + ".hocon";
        File.WriteAllText(config, $$"""
            alrs.env { steps = 40, batch-size = 64, decision-interval = 10, validation-samples = 256, evaluation-batch-size = 256 }
            alrs.data.dir = "{{data.Replace("\\", "\\\\")}}"
            alrs.actors { learner.steps-per-update = 8, environments.fragment-decisions = 2, environments.torch-threads = 1 }
            """);
        var environment = new Dictionary<string, string> { ["ALRS_CTL_PORT"] = "0" };
        try
        {
            using (var train = new NodeProcess("train", output, environment,
                       "train", "--config", config, "--episodes", "100000", "--envs", "1", "--evaluate", "none", "--out", runDir))
            {
                // Status lines come every 10 s and versions may advance by dozens in between: any version from v2 on.
                train.WaitForLine(l => System.Text.RegularExpressions.Regex.Match(l, @"policy v(\d+)") is { Success: true } m && long.Parse(m.Groups[1].Value) >= 2,
                    "a status line at policy v2 or later", TimeSpan.FromSeconds(120));
                train.Terminate();
                Assert.Equal(130, train.WaitForExit(TimeSpan.FromSeconds(60)));
                Assert.Contains(train.Lines, l => l.Contains($"continue with `alrs train --resume {runDir}`", StringComparison.Ordinal));
                Assert.Contains("alrs train: interrupted", train.Lines);
            }

            // --episodes is the run's total: two more than it has.
            var total = Alrs.Nodes.Commands.TrainCommand.EpisodesDone(runDir) + 2;
            using var resumed = new NodeProcess("resumed", output, environment, "train", "--resume", runDir, "--episodes", $"{total}", "--evaluate", "none");
            Assert.Equal(0, resumed.WaitForExit(TimeSpan.FromSeconds(120)));
            Assert.Contains(resumed.Lines, l => l.Contains("(resumed)", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(config);
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        }
    }
}
