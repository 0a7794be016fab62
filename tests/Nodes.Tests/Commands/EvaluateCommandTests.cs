using System.Text.Json;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Reporting;
using Alrs.Learning.Rl;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Tests.Shared;

namespace Alrs.Nodes.Tests.Commands;

public sealed class EvaluateCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    string WritePolicy(PpoSettings settings, int observations, ActionSpace actions, string name = "policy.alrspol")
    {
        using var agent = new PpoAgent(settings, observations, actions, seed: 1);
        var path = Path.Combine(_scratch, "run", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, agent.ToBlob());
        return path;
    }

    static async Task<(int Code, string Error)> Route(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandRouter.RunAsync(args, error);
        return (code, error.ToString());
    }

    [Fact]
    public async Task Missing_policy_flag_is_a_usage_error()
    {
        var (code, error) = await Route("evaluate", "--seeds", "1");

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("--policy is required", error);
    }

    [Fact]
    public async Task A_directory_without_a_policy_file_is_rejected()
    {
        var (code, error) = await Route("evaluate", "--policy", _scratch);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("holds no *.alrspol policy file", error);
    }

    [Fact]
    public async Task A_corrupt_policy_file_is_rejected_as_not_a_policy()
    {
        var path = Path.Combine(_scratch, "broken.alrspol");
        File.WriteAllText(path, "not a policy at all");

        var (code, error) = await Route("evaluate", "--policy", path, "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist));

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("not an alrs policy blob", error);
    }

    [Fact]
    public async Task A_policy_trained_for_other_actions_is_rejected_before_training()
    {
        var policy = WritePolicy(PpoSettings.Reimplementation, 7, ActionSpace.Continuous(1 / 1.05f, 1.05f));

        var (code, error) = await Route("evaluate", "--policy", policy, "--steps", "10", "--batch-size", "100", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist));

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("evaluate with the settings the policy was trained with", error);
    }

    /// <summary>An <c>alrs baselines</c> directory with a constant of the evaluated rate and one step decay on seeds 0..seeds-1, each with its traces.</summary>
    string WriteBaselines(int seeds = 1, int? threads = null, string? cpu = null)
    {
        var directory = Path.Combine(_scratch, "baselines");
        string[] names = ["constant(lr=0.001)", "step-decay(lr=0.01,every=20,factor=0.9)"];
        foreach (var name in names)
            for (var seed = 0; seed < seeds; seed++)
                ScheduleTrace.Write(Path.Combine(directory, "traces", $"{RunReport.TraceStem(name)}_seed{seed}.csv"), [new(10, 0.01, 2.0, 1.9, 0.4), new(20, 0.009, 1.5, 1.4, 0.6)]);
        var schedules = names.Select((name, i) => new
        {
            name, family = name.Split('(')[0], meanValidationLoss = 1.4, meanTestLoss = 1.5 - i, stdTestLoss = 0.0, meanTestAccuracy = 0.6, stdTestAccuracy = 0.0,
            runs = Enumerable.Range(0, seeds).Select(seed => new { seed, testLoss = 1.5 - i, testAccuracy = 0.6, trace = $"traces/{RunReport.TraceStem(name)}_seed{seed}.csv" }).ToArray(),
        });
        File.WriteAllText(Path.Combine(directory, "summary.json"), JsonSerializer.Serialize(new
        {
            threads,
            cpu,
            best = new { stepDecay = names[1] },
            table = new[] { new { label = names[0], schedule = names[0] }, new { label = $"best {names[1]}", schedule = names[1] } },
            schedules,
        }));
        return directory;
    }

    [Fact]
    public async Task The_constant_at_the_start_is_taken_from_baselines_that_ran_it_on_the_same_seeds()
    {
        WritePolicy(PpoSettings.Reimplementation, 7, ActionSpace.Discrete(3));
        var output = new StringWriter();
        var outDir = Path.Combine(_scratch, "out");

        var code = await new EvaluateCommand(output).RunAsync(
            ["--policy", Path.Combine(_scratch, "run"), "--dataset", "mnist", "--arch", "mlp", "--steps", "20", "--batch-size", "100",
             "--seeds", "2", "--validation-samples", "500", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist), "--baselines", WriteBaselines(seeds: 2, threads: 1000, cpu: "Imaginary 9000 (family 99, model 1, stepping 0)"), "--out", outDir],
            CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        // Baselines that ran at another thread count are still paired, with a warning that says why it matters.
        Assert.Contains("warning: --baselines ran its children with 1000 libtorch threads", text);
        Assert.Contains("warning: --baselines ran on Imaginary 9000 (family 99, model 1, stepping 0), this evaluation runs on ", text);
        Assert.Contains("constant(lr=0.001) on these seeds comes from --baselines (not run again)", text);
        Assert.DoesNotContain("(same seeds)", text);
        // Paired with the policy as read: 1.5 on both seeds.
        Assert.Matches(@"constant\(lr=0\.001\)\s+1\.5000 ± 0\.0000", text);
        Assert.Equal(["learned_seed0.csv", "learned_seed1.csv"], Directory.GetFiles(Path.Combine(outDir, "traces")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var summary = EvaluationSummary.Read(Path.Combine(outDir, "summary.json"));
        Assert.Equal(2, summary.Find("constant(lr=0.001)")!.Runs.Count);
    }

    [Fact]
    public async Task Tiny_evaluation_on_mnist_writes_the_run_directory_format_that_alrs_report_reads()
    {
        WritePolicy(PpoSettings.Reimplementation, 7, ActionSpace.Discrete(3));
        var output = new StringWriter();
        var outDir = Path.Combine(_scratch, "out");

        var code = await new EvaluateCommand(output).RunAsync(
            ["--policy", Path.Combine(_scratch, "run"), "--dataset", "mnist", "--arch", "mlp", "--steps", "20", "--batch-size", "100",
             "--seeds", "2", "--validation-samples", "500", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist), "--baselines", WriteBaselines(), "--out", outDir],
            CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("[  2/2] policy seed 1", text);
        Assert.DoesNotContain("libtorch threads", text);
        Assert.DoesNotContain("--baselines ran on", text);
        Assert.Contains("constant(lr=0.001) (same seeds)", text);
        Assert.Contains("best step-decay(lr=0.01,every=20,factor=0.9)  0.5000 ± 0.0000", text);

        // The constant run here replaces the baselines' namesake; the step decay joins as read, its traces where they are.
        var summary = EvaluationSummary.Read(Path.Combine(outDir, "summary.json"));
        Assert.Equal(["constant(lr=0.001)", "step-decay(lr=0.01,every=20,factor=0.9)", "learned"], summary.Schedules.Select(s => s.Name));
        Assert.Equal(Alrs.Torch.Processor.Identity(), summary.Cpu);
        Assert.Equal(2, summary.Find("constant(lr=0.001)")!.Runs.Count);
        // Other test classes run in parallel and set the process-wide count too: only that it is recorded.
        Assert.InRange(summary.Threads ?? 0, 1, 4096);
        Assert.Equal("step-decay(lr=0.01,every=20,factor=0.9)", summary.BestStepDecay);
        Assert.Equal(Path.Combine("..", "baselines", "traces", "step-decay_lr=0.01_every=20_factor=0.9_seed0.csv"), summary.BestOf("step-decay")!.Runs[0].Trace);
        var learned = summary.Learned!;
        Assert.Equal(2, learned.Runs.Count);
        Assert.InRange(learned.MeanTestAccuracy, 0.3, 1.0);
        var trace = File.ReadAllLines(Path.Combine(outDir, learned.Runs[0].Trace!));
        Assert.Equal("step,action,lr,train_loss,val_loss,val_accuracy,reward", trace[0]);
        Assert.Equal(3, trace.Length);
        Assert.StartsWith("10,", trace[1]);
        Assert.Equal(["constant_lr=0.001_seed0.csv", "constant_lr=0.001_seed1.csv", "learned_seed0.csv", "learned_seed1.csv"],
            Directory.GetFiles(Path.Combine(outDir, "traces")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var error = new StringWriter();
        Assert.Equal(CommandRouter.Ok, await new ReportCommand(new StringWriter(), error).RunAsync([outDir], CancellationToken.None));
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("<tr><td>learned policy</td><td class=\"number\">2</td>", html);
        Assert.Contains("<tr><td>best step-decay(lr=0.01,every=20,factor=0.9)</td><td class=\"number\">1</td>", html);
        Assert.True(File.Exists(Path.Combine(outDir, "report", "learning_rate.png")), error.ToString());
        Assert.Contains("report: not available: no cosine schedule in summary.json", error.ToString());
        Assert.DoesNotContain("traces of", error.ToString());
    }

    [Fact]
    public async Task A_policy_is_evaluated_with_the_features_it_records_and_a_contradicting_setting_is_refused()
    {
        // 8 features: reimplementation-log with progress, which the shipped defaults (reimplementation, 7) would not give.
        var spec = new ControllerSpec(ObservationFeatures.ReimplementationLog, true, ActionMappings.Discrete, 1.2, RewardMode.Improvement);
        using (var agent = new PpoAgent(PpoSettings.Reimplementation, 8, ActionSpace.Discrete(3), seed: 1) { Spec = spec })
        {
            Directory.CreateDirectory(Path.Combine(_scratch, "run"));
            File.WriteAllBytes(Path.Combine(_scratch, "run", "policy.alrspol"), agent.ToBlob());
        }
        string[] tiny = ["--policy", Path.Combine(_scratch, "run"), "--dataset", "mnist", "--arch", "mlp", "--steps", "20", "--batch-size", "100",
            "--seeds", "1", "--validation-samples", "200", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist), "--out", Path.Combine(_scratch, "out")];

        var output = new StringWriter();
        var code = await new EvaluateCommand(output).RunAsync(tiny, CancellationToken.None);
        Assert.True(code == CommandRouter.Ok, output.ToString());
        Assert.Contains("observation = reimplementation-log, observe-progress = on, action = discrete, action-factor = 1.2, reward = improvement", output.ToString());

        var config = Path.Combine(_scratch, "other-features.hocon");
        File.WriteAllText(config, "alrs.env.observation = reimplementation");
        var (refused, error) = await Route(["evaluate", .. tiny, "--config", config]);
        Assert.Equal(CommandRouter.BadInput, refused);
        Assert.Contains("alrs.env.observation = reimplementation contradicts the policy", error);
        Assert.Contains("observation = reimplementation-log", error);

        File.WriteAllText(config, "alrs.env { observation = reimplementation-log, action-factor = 1.20, observe-progress = yes }");
        Assert.Equal(CommandRouter.Ok, await new EvaluateCommand(new StringWriter()).RunAsync([.. tiny, "--config", config], CancellationToken.None));
    }
}
