using System.Text.Json;
using Alrs.Learning;
using Alrs.Learning.Baselines;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Configuration;
using Alrs.Tests.Shared;

namespace Alrs.Nodes.Tests.Commands;

public sealed class BaselinesCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-baselines-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    static async Task<(int Code, string Error)> Route(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandRouter.RunAsync(args, error);
        return (code, error.ToString());
    }

    [Fact]
    public void Shipped_experiment_hocon_maps_onto_the_reimplementation_defaults()
    {
        var config = AlrsConfig.Load();
        var environment = ExperimentSettings.Environment(config);
        Assert.Equal(new EnvironmentSettings(), environment with { InitialLearningRateChoices = new EnvironmentSettings().InitialLearningRateChoices });
        Assert.Empty(environment.InitialLearningRateChoices);
        var problem = ExperimentSettings.Problem(config);
        Assert.Equal(DatasetId.Mnist, problem.Dataset!.Id);
        Assert.Equal("mlp", problem.Architecture);
        var baselines = ExperimentSettings.BaselineRuns(config);
        Assert.Equal(100, baselines.Grid.All(environment).Count);
        Assert.Equal(new ProbeTunerSettings(), baselines.Grid.Probe);
        Assert.Equal(new BaselineGrid().KneeExploreFractions, baselines.Grid.KneeExploreFractions);
        Assert.Equal(new BaselineGrid().HypergradientAdamBetas, baselines.Grid.HypergradientAdamBetas);
    }

    [Fact]
    public async Task Unknown_flag_is_a_usage_error_listing_the_known_ones()
    {
        var (code, error) = await Route("baselines", "--sedes", "2");
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("--sedes", error);
        Assert.Contains("--seeds", error);
    }

    [Theory]
    [InlineData("--arch", "vgg", "unknown architecture 'vgg'")]
    [InlineData("--dataset", "imagenet", "unknown dataset 'imagenet'")]
    [InlineData("--steps", "45", "decision-interval")]
    [InlineData("--batch-size", "many", "alrs.env.batch-size must be an integer")]
    [InlineData("--families", "knee,annealing", "--families must list some of constant, step-decay, cosine, knee, hypergradient, probe, probe-equal-compute; unknown 'annealing'")]
    public async Task Bad_values_fail_with_exit_2_naming_the_problem(string flag, string value, string expected)
    {
        var (code, error) = await Route("baselines", flag, value, "--out", _scratch);
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Tiny_grid_on_mnist_prints_progress_and_a_table_writes_summary_and_traces_and_shortlists_its_best_for_other_seeds()
    {
        // A copy of the shipped configuration plus a preset that shrinks the grid to 2 + 2 + 2 schedules.
        var hocon = Path.Combine(_scratch, "hocon");
        Directory.CreateDirectory(Path.Combine(hocon, "presets"));
        foreach (var file in Directory.GetFiles(AlrsConfig.HoconDirectory, "*.hocon"))
            File.Copy(file, Path.Combine(hocon, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(hocon, "presets", "tiny.hocon"),
            "alrs.baselines { families = [constant, step-decay, cosine], initial-lrs = [0.01, 0.0001], decay-every = [10], decay-factors = [0.5] }");
        var output = new StringWriter();
        var outDir = Path.Combine(_scratch, "out");
        var command = new BaselinesCommand(output, hocon);

        var code = await command.RunAsync(
            ["--preset", "tiny", "--dataset", "mnist", "--arch", "mlp", "--steps", "20", "--batch-size", "100", "--seeds", "2",
             "--validation-samples", "500", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist), "--out", outDir], CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("[ 12/12] cosine(lr=0.0001,min=1E-05) seed 1", text);
        Assert.Contains("best step-decay(lr=0.01,every=10,factor=0.5)", text);
        Assert.Contains("constant(lr=0.0001)", text);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal(6, root.GetProperty("schedules").GetArrayLength());
        Assert.Equal("step-decay(lr=0.01,every=10,factor=0.5)", root.GetProperty("best").GetProperty("stepDecay").GetString());
        var firstRun = root.GetProperty("schedules")[0].GetProperty("runs")[0];
        Assert.InRange(firstRun.GetProperty("testAccuracy").GetDouble(), 0.5, 1.0);

        var trace = File.ReadAllLines(Path.Combine(outDir, firstRun.GetProperty("trace").GetString()!));
        Assert.Equal("step,lr,train_loss,val_loss,val_accuracy", trace[0]);
        Assert.Equal(3, trace.Length);
        Assert.StartsWith("10,0.01,", trace[1]);
        Assert.Equal(12, Directory.GetFiles(Path.Combine(outDir, "traces"), "*.csv").Length);

        // Selected above on seeds 0-1; the shortlist runs only each family's winner, on seed 7.
        var best = root.GetProperty("schedules").EnumerateArray()
            .Where(e => e.GetProperty("family").GetString() == "constant")
            .MinBy(e => e.GetProperty("meanValidationLoss").GetDouble()).GetProperty("name").GetString();
        output = new StringWriter();
        var shortlisted = Path.Combine(_scratch, "shortlisted");
        code = await new BaselinesCommand(output, hocon).RunAsync(
            ["--preset", "tiny", "--dataset", "mnist", "--arch", "mlp", "--steps", "20", "--batch-size", "100", "--seeds", "1", "--seed", "7",
             "--validation-samples", "500", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist), "--shortlist", outDir, "--out", shortlisted], CancellationToken.None);

        text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("3 schedules x 1 seeds", text);
        using var again = JsonDocument.Parse(File.ReadAllText(Path.Combine(shortlisted, "summary.json")));
        var names = again.RootElement.GetProperty("schedules").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Equal([best, "step-decay(lr=0.01,every=10,factor=0.5)"], names.Take(2));
        Assert.StartsWith("cosine(", names[2]);
        Assert.Equal([7], again.RootElement.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32()));

        // A shortlist selected on another problem is refused before any training.
        var (refused, error) = await Route("baselines", "--steps", "30", "--shortlist", outDir, "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist));
        Assert.Equal(CommandRouter.BadInput, refused);
        Assert.Contains("selected on mnist/mlp with 20 steps, not mnist/mlp with 30", error);
    }

    [Fact]
    public async Task Later_families_run_with_their_child_compute_and_are_shortlisted_beside_the_classic_ones()
    {
        var outDir = Path.Combine(_scratch, "later");
        var output = new StringWriter();
        // Defaults but 2 rates; knee, hypergradient and both probe tuners (probe every 100 steps, 20 per candidate: one probe at step 0).
        var config = Path.Combine(_scratch, "later.hocon");
        File.WriteAllText(config, "alrs.baselines { initial-lrs = [0.01, 0.001], knee.explore-fractions = [0.5], knee.warmup-fractions = [0.05], hypergradient.adam-betas = [1e-7] }");
        var code = await new BaselinesCommand(output).RunAsync(
            ["--config", config, "--families", "knee,hypergradient,probe,probe-equal-compute", "--dataset", "mnist", "--arch", "mlp", "--steps", "20",
             "--batch-size", "100", "--seeds", "1", "--validation-samples", "500", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist), "--out", outDir], CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("8 schedules x 1 seeds", text);
        Assert.Contains("probe(lr=0.01,every=100,steps=20,factor=2) seed 0", text);
        Assert.Contains("60 child steps for 20 kept", text);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var schedules = root.GetProperty("schedules").EnumerateArray().ToList();
        Assert.Equal(["knee", "hypergradient", "probe", "probe-equal-compute"], schedules.Select(s => s.GetProperty("family").GetString()).Distinct());
        foreach (var family in new[] { "knee", "hypergradient", "probe", "probe-equal-compute" })
            Assert.StartsWith(family + "(", root.GetProperty("best").GetProperty(family).GetString());
        var probe = schedules.First(s => s.GetProperty("family").GetString() == "probe");
        Assert.Equal((20, 60), (probe.GetProperty("runs")[0].GetProperty("keptSteps").GetInt32(), probe.GetProperty("runs")[0].GetProperty("childSteps").GetInt32()));
        Assert.InRange(probe.GetProperty("runs")[0].GetProperty("testAccuracy").GetDouble(), 0.3, 1.0);
        // 20 steps cannot hold a probe of 3 × 20 steps and a kept trajectory: the equal-compute tuner keeps 10 steps with no probe.
        var equal = schedules.First(s => s.GetProperty("family").GetString() == "probe-equal-compute").GetProperty("runs")[0];
        Assert.Equal((10, 10), (equal.GetProperty("keptSteps").GetInt32(), equal.GetProperty("childSteps").GetInt32()));
        Assert.Equal(["knee", "hypergradient", "probe", "probe-equal-compute"],
            root.GetProperty("table").EnumerateArray().Select(r => r.GetProperty("schedule").GetString()!.Split('(')[0]));

        // The shortlist of this grid's families: one winner each, on another seed.
        var shortlisted = Path.Combine(_scratch, "later-shortlisted");
        output = new StringWriter();
        code = await new BaselinesCommand(output).RunAsync(
            ["--config", config, "--families", "knee,hypergradient,probe,probe-equal-compute", "--dataset", "mnist", "--arch", "mlp", "--steps", "20",
             "--batch-size", "100", "--seeds", "1", "--seed", "3", "--validation-samples", "500", "--data-dir", TestDatasets.DataDirWith(DatasetId.Mnist),
             "--shortlist", outDir, "--out", shortlisted], CancellationToken.None);
        Assert.True(code == CommandRouter.Ok, output.ToString());
        Assert.Contains("4 schedules x 1 seeds", output.ToString());
    }
}
