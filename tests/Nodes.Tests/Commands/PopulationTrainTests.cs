using System.Text.Json;
using System.Text.RegularExpressions;
using Alrs.Learning.Data;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Configuration;
using Alrs.Reporting;
using Alrs.Tests.Shared;

namespace Alrs.Nodes.Tests.Commands;

/// <summary>
/// <c>alrs train --controllers 3</c> on real MNIST with tiny episodes: three controllers in one
/// run, each with its own versions and logs, selected on the selection seed; <c>alrs select</c>
/// chooses the same again; <c>--resume</c> continues every controller.
/// </summary>
public sealed class PopulationTrainTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-population-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>The shipped hocon plus a tiny preset: 5 decisions per episode, two selection starts.</summary>
    string TinyHocon()
    {
        var hocon = Path.Combine(_scratch, "hocon");
        Directory.CreateDirectory(Path.Combine(hocon, "presets"));
        foreach (var file in Directory.GetFiles(AlrsConfig.HoconDirectory, "*.hocon"))
            File.Copy(file, Path.Combine(hocon, Path.GetFileName(file)), overwrite: true);
        File.WriteAllText(Path.Combine(hocon, "presets", "tiny.hocon"), """
            alrs.env { steps = 50, batch-size = 64, decision-interval = 10, validation-samples = 300, evaluation-batch-size = 2000 }
            alrs.baselines { seeds = 1, validation-samples = 300, initial-lrs = [0.01, 0.001], decay-every = [20], decay-factors = [0.5] }
            alrs.actors { learner.steps-per-update = 10, environments.fragment-decisions = 5, learner.seed = 7 }
            """);
        return hocon;
    }

    sealed record Selected(int Controller, long Version, string Policy);

    sealed record Entry(int Controller, int TrainingSeed, long Version, double[] Losses, double Mean);

    static (Selected Selected, Entry[] Controllers, int Seed) ReadSelection(string runDir)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, PopulationSelection.SelectionFile)));
        var root = document.RootElement;
        var selected = root.GetProperty("selected");
        var controllers = root.GetProperty("controllers").EnumerateArray().Select(c => new Entry(
            c.GetProperty("controller").GetInt32(), c.GetProperty("trainingSeed").GetInt32(), c.GetProperty("version").GetInt64(),
            c.GetProperty("validationLoss").EnumerateArray().Select(s => s.GetProperty("validationLoss").GetDouble()).ToArray(),
            c.GetProperty("meanValidationLoss").GetDouble())).ToArray();
        return (new Selected(selected.GetProperty("controller").GetInt32(), selected.GetProperty("version").GetInt64(), selected.GetProperty("policy").GetString()!),
            controllers, root.GetProperty("selectionSeed").GetInt32());
    }

    [Fact]
    public async Task Three_controllers_train_in_one_run_are_selected_on_validation_and_resume_together()
    {
        var hocon = TinyHocon();
        var runDir = Path.Combine(_scratch, "run");
        var dataDir = TestDatasets.DataDirWith(DatasetId.Mnist);
        var output = new StringWriter();

        var code = await new TrainCommand(output, hocon).RunAsync(
            ["--preset", "tiny", "--controllers", "3", "--envs", "3", "--episodes", "2", "--evaluate", "none", "--data-dir", dataDir, "--out", runDir], CancellationToken.None);
        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("3 controllers (PPO seeds 7 to 9) sharing 3 environments, 2 episodes each", text);

        // Every controller ran from both starts on seed 100; the choice is the lowest mean, and the run's policy is its blob.
        var (selected, controllers, seed) = ReadSelection(runDir);
        Assert.Equal(100, seed);
        Assert.Equal([0, 1, 2], controllers.Select(c => c.Controller));
        Assert.Equal([7, 8, 9], controllers.Select(c => c.TrainingSeed));
        Assert.All(controllers, c => Assert.Equal(2, c.Losses.Length));
        Assert.All(controllers, c => Assert.Equal(c.Losses.Average(), c.Mean, 12));
        Assert.Equal(controllers.OrderBy(c => c.Mean).ThenBy(c => c.Controller).First().Controller, selected.Controller);
        var winnerBlob = File.ReadAllBytes(Path.Combine(runDir, "controllers", $"c{selected.Controller}", $"policy-v{selected.Version}.alrspol"));
        Assert.Equal($"policy-v{selected.Version}.alrspol", selected.Policy);
        Assert.Equal(winnerBlob, File.ReadAllBytes(Path.Combine(runDir, selected.Policy)));
        // Each controller logged its own returns; together they count the run's episodes.
        foreach (var k in new[] { 0, 1, 2 })
            Assert.True(File.Exists(Path.Combine(runDir, "controllers", $"c{k}", "training", "returns.csv")), $"controller {k} logged no returns\n{text}");
        var done = TrainCommand.EpisodesDone(runDir);
        Assert.True(done >= 1, $"returns.csv files count {done} episodes");

        // alrs select chooses again from the same stored versions: the same choice and table. Both
        // run on one libtorch thread (selection.json says so); the losses are compared to 1e-4, not
        // bit for bit, because this test process runs other test classes in parallel and libtorch's
        // thread count is process-wide: one of them may change it in the middle of the selection.
        using (var recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, PopulationSelection.SelectionFile))))
            Assert.Equal(PopulationSelection.SelectionThreads, recorded.RootElement.GetProperty("threads").GetInt32());
        output = new StringWriter();
        code = await new SelectCommand(output, hocon).RunAsync([runDir, "--data-dir", dataDir], CancellationToken.None);
        Assert.True(code == CommandRouter.Ok, output.ToString());
        var (again, againControllers, _) = ReadSelection(runDir);
        Assert.Equal(selected, again);
        Assert.Equal(controllers.Select(c => (c.Controller, c.TrainingSeed, c.Version)), againControllers.Select(c => (c.Controller, c.TrainingSeed, c.Version)));
        foreach (var (before, after) in controllers.Zip(againControllers))
            Assert.All(before.Losses.Zip(after.Losses), pair => Assert.Equal(pair.Item1, pair.Item2, 1e-4));

        // --resume continues every controller from its store: each one's latest version moves on.
        // The first run may overshoot its 6 episodes (environments finish the episodes they
        // started), so the resumed target is counted from what was done: about four more
        // episodes per controller, enough for each to publish a version.
        output = new StringWriter();
        var perController = (TrainCommand.EpisodesDone(runDir) + 2) / 3 + 4;
        code = await new TrainCommand(output, hocon).RunAsync(["--resume", runDir, "--episodes", $"{perController}", "--evaluate", "none"], CancellationToken.None);
        text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("(resumed)", text);
        var (_, resumed, _) = ReadSelection(runDir);
        foreach (var (before, after) in controllers.Zip(resumed))
            Assert.True(after.Version > before.Version, $"controller {before.Controller}: v{before.Version} before, v{after.Version} after resuming\n{text}");
    }

    /// <summary>selection.json's pbt.events as (controller, version, from controller, from version).</summary>
    static (int, long, int, long)[] Lineage(string runDir)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, PopulationSelection.SelectionFile)));
        return document.RootElement.GetProperty("pbt").GetProperty("events").EnumerateArray().Select(e => (
            e.GetProperty("controller").GetInt32(), e.GetProperty("version").GetInt64(),
            e.GetProperty("fromController").GetInt32(), e.GetProperty("fromVersion").GetInt64())).ToArray();
    }

    [Fact]
    public async Task Population_based_training_lists_its_lineage_in_the_selection_and_the_report_and_keeps_it_on_resume()
    {
        var hocon = TinyHocon();
        var runDir = Path.Combine(_scratch, "pbt");
        var dataDir = TestDatasets.DataDirWith(DatasetId.Mnist);
        var pbt = Path.Combine(_scratch, "pbt.hocon");
        File.WriteAllText(pbt, "alrs.population { mode = pbt, pbt { interval-updates = 1, quantile = 0.5 } }\n");
        var output = new StringWriter();

        var code = await new TrainCommand(output, hocon).RunAsync(
            ["--preset", "tiny", "--config", pbt, "--controllers", "2", "--envs", "2", "--episodes", "4", "--evaluate", "none", "--data-dir", dataDir, "--out", runDir], CancellationToken.None);
        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);

        // The selection lists the settings, each controller's hyperparameters and every exploit, each one printed too.
        using (var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, PopulationSelection.SelectionFile))))
        {
            var root = document.RootElement;
            Assert.Equal(1, root.GetProperty("pbt").GetProperty("intervalUpdates").GetInt32());
            Assert.Equal(0.5, root.GetProperty("pbt").GetProperty("quantile").GetDouble());
            foreach (var controller in root.GetProperty("controllers").EnumerateArray())
                Assert.Equal(["learning-rate", "clip-coefficient", "entropy-coefficient"], controller.GetProperty("hyperparameters").EnumerateObject().Select(p => p.Name));
            var bounds = root.GetProperty("pbt").GetProperty("bounds");
            foreach (var e in root.GetProperty("pbt").GetProperty("events").EnumerateArray())
                foreach (var value in e.GetProperty("hyperparameters").EnumerateObject())
                    Assert.InRange(value.Value.GetDouble(), bounds.GetProperty(value.Name)[0].GetDouble(), bounds.GetProperty(value.Name)[1].GetDouble());
        }
        var printed = Regex.Matches(text, @"pbt: controller \d").Count;
        var before = Lineage(runDir);
        Assert.True(before.Length >= printed, $"{before.Length} exploits stored, {printed} printed\n{text}");
        Assert.All(before, e => Assert.NotEqual(e.Item1, e.Item3));
        var report = File.ReadAllText(Path.Combine(runDir, "report.html"));
        Assert.Contains(before.Length > 0 ? $"{before.Length} exploits" : "no controller exploited another yet", report);

        // --resume keeps the lineage (it is stored with the versions) and adds to it.
        output = new StringWriter();
        code = await new TrainCommand(output, hocon).RunAsync(["--resume", runDir, "--episodes", "8", "--evaluate", "none"], CancellationToken.None);
        text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        var after = Lineage(runDir);
        Assert.Subset(after.ToHashSet(), before.ToHashSet());
        Assert.True(after.Length >= before.Length + Regex.Matches(text, @"pbt: controller \d").Count, $"{after.Length} exploits after resuming, {before.Length} before\n{text}");
    }

    [Fact]
    public async Task Variants_give_each_controller_its_own_configuration_recorded_in_the_run_and_its_selection()
    {
        var hocon = TinyHocon();
        var runDir = Path.Combine(_scratch, "variants");
        var dataDir = TestDatasets.DataDirWith(DatasetId.Mnist);
        var variants = Path.Combine(_scratch, "variants.hocon");
        File.WriteAllText(variants, "alrs.population.variants = [{ env.action-factor = 2 }, { ppo.clip-coefficient = 0.1 }]\n");
        var output = new StringWriter();

        var code = await new TrainCommand(output, hocon).RunAsync(
            ["--preset", "tiny", "--config", variants, "--controllers", "2", "--envs", "2", "--episodes", "1", "--evaluate", "none", "--data-dir", dataDir, "--out", runDir], CancellationToken.None);
        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("variant env.action-factor = 2", text);

        // Each controller's policy was made from its own configuration: controller 0 acts with factor 2, controller 1 clips at 0.1.
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, PopulationSelection.SelectionFile)));
        var controllers = document.RootElement.GetProperty("controllers").EnumerateArray().ToArray();
        Assert.Equal(["env.action-factor = 2", "ppo.clip-coefficient = 0.1"], controllers.Select(c => c.GetProperty("variant").GetString()));
        Learning.Ppo.PpoAgent Policy(int k) => Learning.Ppo.PpoAgent.FromBlob(File.ReadAllBytes(
            Directory.GetFiles(Path.Combine(runDir, "controllers", $"c{k}"), "policy-v*.alrspol").Single()));
        using var first = Policy(0);
        using var second = Policy(1);
        Assert.Equal(2.0, first.Spec!.ActionFactor);
        Assert.Equal(0.2, first.Settings.ClipCoefficient);
        Assert.Equal(1.05, second.Spec!.ActionFactor);
        Assert.Equal(0.1, second.Settings.ClipCoefficient);

        // The run directory's config.hocon keeps the variants, so --resume and alrs select read them back.
        var (_, runConfig) = RunDirectory.Open(runDir);
        var population = Actors.PopulationSettings.FromConfig(runConfig);
        Assert.Equal(["env.action-factor = 2", "ppo.clip-coefficient = 0.1"], population.Variants.Select(v => v.Description));
    }
}
