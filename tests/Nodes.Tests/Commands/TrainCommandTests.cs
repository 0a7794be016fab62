using System.Text.RegularExpressions;
using Akka.Configuration;
using Alrs.Learning.Data;
using Alrs.Reporting;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Configuration;
using Alrs.Tests.Shared;

namespace Alrs.Nodes.Tests.Commands;

public sealed class TrainCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-train-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    static async Task<(int Code, string Error)> Route(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandRouter.RunAsync(args, error);
        return (code, error.ToString());
    }

    [Fact]
    public void Every_shipped_preset_maps_onto_valid_settings()
    {
        foreach (var preset in new[] { TrainCommand.DefaultPreset, "quick-authors", "mnist-mlp", "fmnist-lenet", "cifar10-resnet18" })
        {
            var config = AlrsConfig.Load(preset);
            Actors.ActorSettings.FromConfig(config);
            TrainSettings.FromConfig(config);
            ExperimentSettings.Problem(config);
            ExperimentSettings.Environment(config);
            ExperimentSettings.BaselineRuns(config);
            PpoConfiguration.FromConfig(config);
        }
    }

    [Fact]
    public async Task A_misspelt_population_variant_key_is_one_line_with_exit_2_and_no_run_directory()
    {
        var config = Path.Combine(_scratch, "variant.hocon");
        File.WriteAllText(config, "alrs.population { controllers = 2, variants = [{ ppo.clip = 0.1 }, {}] }\n");

        var (code, error) = await Route("train", "--config", config, "--out", Path.Combine(_scratch, "variant"));

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("alrs.population.variants[0]: ppo.clip is not a configuration key", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_scratch, "variant")));
    }

    [Theory]
    [InlineData("alrs.population { mode = pbt }", "alrs.population.mode = pbt needs a population")]
    [InlineData("alrs.population { controllers = 3, mode = pbt, pbt.quantile = 0.75 }", "alrs.population.pbt.quantile must be in (0, 0.5]")]
    [InlineData("alrs.population { controllers = 3, mode = pbt, pbt.bounds.learning-rate = [0.1, 0.01] }", "(bounds inverted?)")]
    [InlineData("alrs.population { controllers = 3, mode = tune }", "alrs.population.mode must be select or pbt, got 'tune'")]
    public async Task A_bad_population_based_training_setting_is_one_line_with_exit_2_and_no_run_directory(string hocon, string expected)
    {
        var config = Path.Combine(_scratch, "pbt.hocon");
        File.WriteAllText(config, hocon + "\n");

        var (code, error) = await Route("train", "--config", config, "--envs", "3", "--out", Path.Combine(_scratch, "pbt"));

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_scratch, "pbt")));
    }

    [Fact]
    public async Task Fewer_environments_than_controllers_is_one_line_with_exit_2_and_no_run_directory()
    {
        var (code, error) = await Route("train", "--controllers", "3", "--envs", "2", "--out", Path.Combine(_scratch, "starved"));

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("3 controllers need at least 3 environments (alrs.actors.environments.count, --envs, is 2)", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_scratch, "starved")));
    }

    [Fact]
    public async Task A_buffer_too_small_for_one_update_and_a_fragment_is_refused_at_start_up_naming_both_keys()
    {
        var config = Path.Combine(_scratch, "stall.hocon");
        File.WriteAllText(config, "alrs.actors.learner.steps-per-update = 200\nalrs.actors.environments.fragment-decisions = 30\nalrs.actors.learner.max-buffered-decisions = 200\n");

        var (code, error) = await Route("train", "--config", config, "--out", Path.Combine(_scratch, "stall"));

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("max-buffered-decisions", error);
        Assert.Contains("steps-per-update", error);
        Assert.Contains("fragment-decisions", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_scratch, "stall")));
    }

    [Fact]
    public void Resume_counts_the_episodes_of_returns_csv_without_its_torn_last_line()
    {
        var run = Path.Combine(_scratch, "torn");
        Directory.CreateDirectory(Path.Combine(run, "training"));
        // A crash in the middle of writing version 3's row (files of builds that appended in place).
        File.WriteAllText(Path.Combine(run, "training", "returns.csv"), "version,episodes,mean_return\n1,4,-3.5\n2,3,-2.25\n3,");

        Assert.Equal(7, TrainCommand.EpisodesDone(run));
    }

    [Fact]
    public void The_effective_configuration_written_to_a_run_parses_back_to_the_same_values()
    {
        var config = AlrsConfig.Load(TrainCommand.DefaultPreset);
        var run = RunDirectory.Create(Path.Combine(_scratch, "run"), config);
        var written = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(run, RunDirectory.ConfigFile)));
        Assert.Equal(ExperimentSettings.Environment(config), ExperimentSettings.Environment(written) with
        {
            InitialLearningRateChoices = ExperimentSettings.Environment(config).InitialLearningRateChoices,
        });
        Assert.Equal(ExperimentSettings.Environment(config).InitialLearningRateChoices, ExperimentSettings.Environment(written).InitialLearningRateChoices);
        Assert.Equal(ExperimentSettings.BaselineRuns(config).Grid.All(new() { Steps = 200 }).Count, ExperimentSettings.BaselineRuns(written).Grid.All(new() { Steps = 200 }).Count);
        Assert.Equal(Actors.ActorSettings.FromConfig(config), Actors.ActorSettings.FromConfig(written.WithFallback(config)));
        Assert.Equal(config.GetString("alrs.data.dir"), written.GetString("alrs.data.dir"));
    }

    [Fact]
    public void The_command_endpoint_of_a_run_takes_ALRS_CTL_variables_from_the_environment()
    {
        var config = AlrsConfig.Load(TrainCommand.DefaultPreset);
        Assert.Equal(9110, TrainCommand.ControlSettingsOf(config, new Dictionary<string, string>()).Port);
        var settings = TrainCommand.ControlSettingsOf(config, new Dictionary<string, string> { ["ALRS_CTL_PORT"] = "0", ["ALRS_PORT"] = "4100" });
        Assert.Equal(0, settings.Port);
        Assert.True(settings.Enabled);
    }

    [Fact]
    public async Task Unknown_flag_is_a_usage_error_with_exit_2()
    {
        var (code, error) = await Route("train", "--environments", "2");
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("unknown option --environments", error);
    }

    [Theory]
    [InlineData("--envs", "0", "--envs must be in [1, 256]")]
    [InlineData("--episodes", "-3", "--episodes must be in [1, 10000000]")]
    [InlineData("--arch", "vgg", "unknown architecture 'vgg'")]
    [InlineData("--preset", "huge", "unknown preset 'huge'")]
    [InlineData("--evaluate", "sometimes", "alrs.train.evaluate must be latest, best or none, got 'sometimes'")]
    [InlineData("--config", "/nonexistent/experiment.hocon", "--config /nonexistent/experiment.hocon: no such file")]
    public async Task Bad_values_fail_with_exit_2_and_create_no_run_directory(string flag, string value, string expected)
    {
        var outDir = Path.Combine(_scratch, "run");
        var (code, error) = await Route("train", flag, value, "--out", outDir);
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'), l => !l.StartsWith("usage:"));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_missing_dataset_with_no_fetch_fails_with_exit_2_before_the_run_directory_is_created()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_scratch, "no-data")).FullName;
        var outDir = Path.Combine(_scratch, "run");
        var (code, error) = await Route("train", "--data-dir", empty, "--no-fetch", "--out", outDir);
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains($"dataset mnist not found", error);
        Assert.Contains($"alrs data fetch mnist --data-dir {empty}", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(empty));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Resuming_a_foreign_directory_fails_with_exit_2_and_leaves_it_alone()
    {
        var foreign = Directory.CreateDirectory(Path.Combine(_scratch, "photos")).FullName;
        File.WriteAllText(Path.Combine(foreign, "holiday.jpg"), "not a run");
        var (code, error) = await Route("train", "--resume", foreign);
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("is not an alrs train run directory", error);
        Assert.Equal(["holiday.jpg"], Directory.GetFiles(foreign).Select(Path.GetFileName));
        Assert.Equal("not a run", File.ReadAllText(Path.Combine(foreign, "holiday.jpg")));
    }

    [Fact]
    public async Task An_existing_run_directory_is_never_overwritten_by_a_new_run()
    {
        var existing = Directory.CreateDirectory(Path.Combine(_scratch, "run")).FullName;
        File.WriteAllText(Path.Combine(existing, RunDirectory.ConfigFile), "precious");
        var (code, error) = await Route("train", "--out", existing);
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("--resume", error);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(existing, RunDirectory.ConfigFile)));
    }

    /// <summary>
    /// The shipped configuration plus a preset small enough for a test: 50 steps per
    /// episode (5 decisions), 1 evaluation seed, 2 baseline schedules per family.
    /// </summary>
    string TinyHocon()
    {
        var hocon = Path.Combine(_scratch, "hocon");
        Directory.CreateDirectory(Path.Combine(hocon, "presets"));
        foreach (var file in Directory.GetFiles(AlrsConfig.HoconDirectory, "*.hocon"))
            File.Copy(file, Path.Combine(hocon, Path.GetFileName(file)), overwrite: true);
        File.WriteAllText(Path.Combine(hocon, "presets", "tiny.hocon"), """
            alrs.env { steps = 50, batch-size = 64, decision-interval = 10, validation-samples = 300, evaluation-batch-size = 2000 }
            alrs.baselines { seeds = 1, validation-samples = 300, initial-lrs = [0.01], decay-every = [20], decay-factors = [0.5] }
            alrs.actors { learner.steps-per-update = 10, environments.fragment-decisions = 5 }
            """);
        // The run's own baseline cache: a resumed run reads its baselines back from it.
        File.AppendAllText(Path.Combine(hocon, "presets", "tiny.hocon"), $"\nalrs.baselines.cache-dir = \"{Path.Combine(_scratch, "baseline-cache")}\"\n");
        return hocon;
    }

    [Fact]
    public async Task A_run_with_evaluate_none_skips_the_comparison_and_alrs_evaluate_reads_its_policy_store()
    {
        var hocon = TinyHocon();
        var runDir = Path.Combine(_scratch, "run");
        var output = new StringWriter();

        var code = await new TrainCommand(output, hocon).RunAsync(
            ["--preset", "tiny", "--envs", "1", "--episodes", "3", "--evaluate", "none", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist), "--out", runDir], CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("no evaluation (alrs.train.evaluate = none)", text);
        Assert.False(Directory.Exists(Path.Combine(runDir, "evaluation")), "the baseline comparison ran although evaluate = none");
        var written = Assert.Single(Directory.GetFiles(runDir, "policy-v*" + EvaluateCommand.PolicyExtension));
        var version = long.Parse(Regex.Match(Path.GetFileName(written), @"v(\d+)").Groups[1].Value);

        // The store, not the file, is what evaluate reads from a run directory; a user file and
        // a fixed initial rate shape the episodes.
        var writtenBlob = File.ReadAllBytes(written);
        File.Delete(written);
        var settings = Path.Combine(_scratch, "evaluation.hocon");
        File.WriteAllText(settings, "alrs.env.steps = 20\nalrs.baselines { seeds = 1, validation-samples = 200 }");
        output = new StringWriter();
        code = await new EvaluateCommand(output, hocon).RunAsync(
            ["--policy", runDir, "--preset", "tiny", "--config", settings, "--initial-lr", "0.003", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist),
             "--out", Path.Combine(_scratch, "evaluated")], CancellationToken.None);

        text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains($"latest version v{version} of {Path.Combine(runDir, RunDirectory.StoreFile)}", text);
        Assert.Contains("1 seeds, 20 steps of batch 64", text);
        Assert.Contains("constant(lr=0.003) (same seeds)", text);
        // The stored version is written beside the results, bit for bit as the store holds it.
        var copy = Path.Combine(_scratch, "evaluated", $"policy-v{version}{EvaluateCommand.PolicyExtension}");
        Assert.True(File.Exists(copy), text);
        Assert.Equal(writtenBlob, File.ReadAllBytes(copy));
    }

    [Fact]
    public async Task Two_environments_train_on_mnist_write_the_full_run_directory_and_a_resumed_run_continues_the_numbering()
    {
        var hocon = TinyHocon();
        var runDir = Path.Combine(_scratch, "run");
        var output = new StringWriter();

        var code = await new TrainCommand(output, hocon).RunAsync(
            ["--preset", "tiny", "--envs", "2", "--episodes", "8", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist), "--out", runDir], CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        // The last status line shows the target reached (the other environment may have finished one more).
        Assert.True(Regex.Matches(text, @"episode (\d+)/8").Select(m => int.Parse(m.Groups[1].Value)).LastOrDefault() >= 8, text);
        Assert.Matches(@"learned controller v\d+ ", text);
        Assert.Contains("best cosine(lr=0.01", text);
        Assert.Contains($"run directory {runDir}", text);
        Assert.Contains($"report {Path.Combine(runDir, RunReport.HtmlName)}", text);
        // The first run trains every baseline and keeps each run in the cache.
        var stored = Regex.Match(text, @"baselines: 0 of (\d+) runs read from the cache (\S+), (\d+) trained and stored there");
        Assert.True(stored.Success, text);
        Assert.Equal(stored.Groups[1].Value, stored.Groups[3].Value);
        Assert.Equal(int.Parse(stored.Groups[1].Value), Directory.GetFiles(Path.Combine(_scratch, "baseline-cache"), "*.json").Length);
        Assert.DoesNotContain("(cached)", text);
        // Redirected output: status lines are throttled, so the log stays short.
        Assert.True(text.Split('\n').Length < 40, text);
        var firstVersion = EvaluatedVersion(runDir);
        // At least one update: how many more depends on how far the environments run ahead of
        // the learner (its first update includes JIT warm-up, tiny episodes take milliseconds).
        Assert.True(firstVersion >= 1, $"no policy update after 8 episodes of 5 decisions with updates every 10");
        Assert.True(File.Exists(Path.Combine(runDir, $"policy-v{firstVersion}{EvaluateCommand.PolicyExtension}")));
        AssertRunDirectory(runDir, firstVersion);
        var config = File.ReadAllText(Path.Combine(runDir, RunDirectory.ConfigFile));

        // --episodes is the run's total: a total it already has is refused and changes nothing.
        var done = TrainCommand.EpisodesDone(runDir);
        Assert.True(done >= 8, $"returns.csv counts {done} episodes after a run of 8");
        var refused = await Assert.ThrowsAsync<UsageException>(() =>
            new TrainCommand(new StringWriter(), hocon).RunAsync(["--resume", runDir, "--episodes", "4"], CancellationToken.None));
        Assert.Contains($"already has {done} of its 4 episodes", refused.Message);
        Assert.Equal(firstVersion, EvaluatedVersion(runDir));

        output = new StringWriter();
        var total = done + 4;
        code = await new TrainCommand(output, hocon).RunAsync(["--resume", runDir, "--episodes", $"{total}"], CancellationToken.None);
        Assert.True(code == CommandRouter.Ok, output.ToString());
        text = output.ToString();
        Assert.Contains("(resumed)", text);
        Assert.Contains($"{done} episodes done", text);
        // The resumed run compares with the same baselines: read back, not trained again. (libtorch's
        // thread count is part of the key and process-wide: a test beside this one that changed it
        // in between makes them train again, which the count then says.)
        var reused = Regex.Match(text, @"baselines: (\d+) of (\d+) runs read from the cache \S+, (\d+) trained");
        Assert.True(reused.Success, text);
        Assert.Equal(stored.Groups[1].Value, reused.Groups[2].Value);
        if (reused.Groups[1].Value == reused.Groups[2].Value)
        {
            Assert.Contains("(cached)", text);
            Assert.Contains("(cached)", File.ReadAllText(Path.Combine(runDir, RunReport.HtmlName)));
        }
        // The status line counts on from the episodes the run had, up to the new total.
        var counts = Regex.Matches(text, $@"episode (\d+)/{total}\b").Select(m => long.Parse(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(counts);
        Assert.All(counts, c => Assert.True(c >= done, text));
        Assert.True(counts[^1] >= total, text);
        Assert.True(TrainCommand.EpisodesDone(runDir) >= total);
        var resumedVersion = EvaluatedVersion(runDir);
        Assert.True(resumedVersion > firstVersion);
        Assert.Equal(resumedVersion, LearnedPolicyVersion(runDir));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(runDir, "tensorboard"), "events.out.tfevents.*").Length);
        Assert.Equal(config, File.ReadAllText(Path.Combine(runDir, RunDirectory.ConfigFile)));
    }

    /// <summary>What docs/run-directory.md promises after a run: TensorBoard scalars, returns, evaluation, report.</summary>
    static void AssertRunDirectory(string runDir, long evaluatedVersion)
    {
        var events = EventFileReader.Read(Directory.GetFiles(Path.Combine(runDir, "tensorboard"), "events.out.tfevents.*").Single());
        var tags = events.SelectMany(e => e.Values.Select(v => v.Tag)).ToHashSet();
        foreach (var environment in new[] { "env-0", "env-1" })
            foreach (var metric in new[] { "learning_rate", "train_loss", "val_loss" })
                Assert.Contains($"env/{environment}/{metric}", tags);
        foreach (var tag in new[] { "losses/policy_loss", "losses/value_loss", "losses/entropy", "losses/approx_kl", "charts/episodic_return" })
            Assert.Contains(tag, tags);
        // At least 8 episodes of 5 decisions, each with a finite learning rate. The environments go
        // on until the run stops, so on a fast machine there are more: no upper bound.
        var rates = events.SelectMany(e => e.Values.Where(v => v.Tag.EndsWith("/learning_rate")).Select(v => v.Value)).ToList();
        Assert.True(rates.Count >= 40, $"{rates.Count} learning rates logged, fewer than 8 episodes x 5 decisions");
        Assert.All(rates, lr => Assert.True(lr > 0 && float.IsFinite(lr)));

        var returns = PolicyReturns.Read(Path.Combine(runDir, "training", "returns.csv"));
        Assert.NotEmpty(returns);
        Assert.True(returns.Sum(r => r.Episodes) >= 8, $"{returns.Sum(r => r.Episodes)} episodes in returns.csv, fewer than the 8 trained");
        Assert.Equal(returns.Select(r => r.Version).Order(), returns.Select(r => r.Version));

        var summary = EvaluationSummary.Read(Path.Combine(runDir, "evaluation", EvaluationWriter.SummaryFile));
        var learned = Assert.IsType<EvaluatedSchedule>(summary.Learned);
        Assert.Equal("learned", learned.Name);
        Assert.True(double.IsFinite(learned.MeanTestLoss));
        Assert.Equal("traces/learned_seed0.csv", Assert.Single(learned.Runs).Trace);
        Assert.NotNull(summary.BestOf("constant"));
        Assert.NotNull(summary.BestOf("step-decay"));
        Assert.NotNull(summary.BestOf("cosine"));
        // The later comparators are part of the built-in comparison too, the probe tuner with its child compute.
        foreach (var family in new[] { "knee", "hypergradient", "probe", "probe-equal-compute" }) Assert.NotNull(summary.BestOf(family));
        Assert.Equal(90, summary.BestOf("probe")!.MeanChildSteps); // 50 kept steps + one probe's 2 × 20 discarded
        Assert.Equal("probe(lr=0.01,every=100,steps=20,factor=2)", summary.BestOf("probe")!.Name);
        Assert.Equal(5, ScheduleTrace.Read(Path.Combine(runDir, "evaluation", "traces", "learned_seed0.csv")).Points.Count);
        Assert.Equal(evaluatedVersion, LearnedPolicyVersion(runDir));

        var html = File.ReadAllText(Path.Combine(runDir, RunReport.HtmlName));
        Assert.DoesNotContain("not available", html);
        foreach (var plot in new[] { "learning_rate", "validation_loss", "train_loss", "validation_accuracy", "returns" })
            Assert.True(new FileInfo(Path.Combine(runDir, RunReport.PlotDirectory, plot + ".png")).Length > 1000, $"{plot}.png is missing or empty");
    }

    /// <summary>The policyVersion of the learned entry in evaluation/summary.json.</summary>
    static long LearnedPolicyVersion(string runDir)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "evaluation", EvaluationWriter.SummaryFile)));
        return document.RootElement.GetProperty("schedules").EnumerateArray()
            .Single(s => s.GetProperty("family").GetString() == EvaluationSummary.LearnedFamily).GetProperty("policyVersion").GetInt64();
    }

    /// <summary>The newest evaluation-vN.txt's N.</summary>
    static long EvaluatedVersion(string runDir) =>
        Directory.GetFiles(runDir, "evaluation-v*.txt")
            .Select(f => long.Parse(Regex.Match(Path.GetFileName(f), @"v(\d+)").Groups[1].Value))
            .Max();
}
