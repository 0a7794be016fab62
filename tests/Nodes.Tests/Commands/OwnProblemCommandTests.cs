using System.Text.Json;
using Alrs.Learning.Data;
using Alrs.Reporting;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Configuration;
using Alrs.Tests.Shared;

namespace Alrs.Nodes.Tests.Commands;

/// <summary>
/// A problem of one's own end to end through the real commands: a CSV with a learnable rule and
/// an image folder of drawn shapes, each trained for a few tiny episodes on a network described
/// in HOCON, evaluated and reported; and bad input ending with exit 2 before anything is written.
/// </summary>
public sealed class OwnProblemCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-own-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    static async Task<(int Code, string Error)> Route(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandRouter.RunAsync(args, error);
        return (code, error.ToString());
    }

    /// <summary>The shipped configuration plus a preset with tiny episodes, a short baseline grid and two described networks.</summary>
    string TinyHocon()
    {
        var hocon = Path.Combine(_scratch, "hocon");
        Directory.CreateDirectory(Path.Combine(hocon, "presets"));
        foreach (var file in Directory.GetFiles(AlrsConfig.HoconDirectory, "*.hocon"))
            File.Copy(file, Path.Combine(hocon, Path.GetFileName(file)), overwrite: true);
        File.WriteAllText(Path.Combine(hocon, "presets", "tiny-own.hocon"), """
            alrs.env { steps = 40, batch-size = 16, decision-interval = 10, validation-samples = 100, evaluation-batch-size = 500, initial-lr = 0.01 }
            alrs.baselines { seeds = 1, validation-samples = 100, initial-lrs = [0.01], decay-every = [20], decay-factors = [0.5], families = [constant, step-decay, cosine] }
            alrs.actors { learner.steps-per-update = 8, environments.fragment-decisions = 4 }
            alrs.networks {
              mlp-16 = ["linear 16"]
              small-cnn = ["conv 8 3", "maxpool 2", "linear 16"]
            }
            """);
        return hocon;
    }

    [Fact]
    public async Task A_csv_of_ones_own_trains_evaluates_and_reports_and_the_run_records_its_normalisation()
    {
        var hocon = TinyHocon();
        var csv = OwnDataSets.WriteCsv(Path.Combine(_scratch, "boxes.csv"));
        var runDir = Path.Combine(_scratch, "run");
        var output = new StringWriter();

        var code = await new TrainCommand(output, hocon).RunAsync(
            ["--preset", "tiny-own", "--dataset-path", csv, "--format", "csv", "--arch", "mlp-16", "--envs", "1", "--episodes", "3", "--out", runDir], CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains($"loading boxes from {csv} (csv)", text);
        Assert.Contains("train: boxes/mlp-16, 1 environments", text);
        Assert.Contains("best cosine(lr=0.01", text);
        Assert.True(File.Exists(Path.Combine(runDir, RunReport.HtmlName)), text);
        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, DataRecord.FileName))))
        {
            var root = record.RootElement;
            Assert.Equal("csv", root.GetProperty("source").GetString());
            Assert.Equal(3, root.GetProperty("classes").GetInt32());
            Assert.Equal((154, 38, 48), (root.GetProperty("train").GetInt32(), root.GetProperty("validation").GetInt32(), root.GetProperty("test").GetInt32()));
            Assert.True(root.GetProperty("normalisation").GetProperty("measured").GetBoolean());
            // The weight column lies in [0, 100]: its measured mean is far from the others'.
            var means = root.GetProperty("normalisation").GetProperty("mean").EnumerateArray().Select(m => m.GetDouble()).ToArray();
            Assert.Equal(3, means.Length);
            Assert.InRange(means[2], 30, 70);
        }

        // The same problem: no transfer. Another network: evaluate says so, and still runs.
        var evaluated = Path.Combine(_scratch, "evaluated");
        output = new StringWriter();
        code = await new EvaluateCommand(output, hocon).RunAsync(
            ["--policy", runDir, "--preset", "tiny-own", "--dataset-path", csv, "--format", "csv", "--arch", "mlp-16", "--out", evaluated], CancellationToken.None);
        text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.DoesNotContain("transfer", text);
        Assert.Contains("constant(lr=0.01) (same seeds)", text);
        Assert.True(File.Exists(Path.Combine(evaluated, DataRecord.FileName)));

        output = new StringWriter();
        code = await new EvaluateCommand(output, hocon).RunAsync(
            ["--policy", runDir, "--preset", "tiny-own", "--dataset-path", csv, "--format", "csv", "--arch", "mlp", "--out", Path.Combine(_scratch, "transfer")], CancellationToken.None);
        text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("(architecture mlp-16 [linear 16], not mlp): a transfer to another problem", text);

        var (reportCode, reportError) = await Route("report", evaluated);
        Assert.True(reportCode == CommandRouter.Ok, reportError);
        Assert.True(File.Exists(Path.Combine(evaluated, RunReport.HtmlName)));
    }

    [Fact]
    public async Task An_image_folder_of_ones_own_trains_a_described_cnn_evaluates_and_reports()
    {
        var hocon = TinyHocon();
        var shapes = OwnDataSets.WriteShapes(Path.Combine(_scratch, "shapes"), perClass: 30, size: 12);
        var runDir = Path.Combine(_scratch, "run");
        var output = new StringWriter();

        var code = await new TrainCommand(output, hocon).RunAsync(
            ["--preset", "tiny-own", "--dataset-path", shapes, "--format", "image-folder", "--arch", "small-cnn", "--envs", "1", "--episodes", "3", "--out", runDir], CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("train: shapes/small-cnn", text);
        Assert.True(File.Exists(Path.Combine(runDir, RunReport.HtmlName)), text);
        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, DataRecord.FileName))))
        {
            Assert.Equal(new[] { 3, 12, 12 }, record.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("small-cnn [conv 8 3, maxpool 2, linear 16]", record.RootElement.GetProperty("architecture").GetString());
            Assert.Equal(3, record.RootElement.GetProperty("normalisation").GetProperty("std").GetArrayLength());
        }

        var evaluated = Path.Combine(_scratch, "evaluated");
        output = new StringWriter();
        code = await new EvaluateCommand(output, hocon).RunAsync(
            ["--policy", runDir, "--preset", "tiny-own", "--dataset-path", shapes, "--format", "image-folder", "--arch", "small-cnn", "--out", evaluated], CancellationToken.None);
        Assert.True(code == CommandRouter.Ok, output.ToString());
        var (reportCode, reportError) = await Route("report", evaluated);
        Assert.True(reportCode == CommandRouter.Ok, reportError);
    }

    [Fact]
    public async Task A_ragged_csv_row_ends_train_with_exit_2_naming_the_file_and_line_and_writes_nothing()
    {
        var csv = Path.Combine(_scratch, "ragged.csv");
        File.WriteAllText(csv, "a,b,label\n1,2,0\n3,4,1\n5,1\n");
        var runDir = Path.Combine(_scratch, "run");

        var (code, error) = await Route("train", "--dataset-path", csv, "--format", "csv", "--out", runDir);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains($"{csv} line 4: 2 fields, but line 1 has 3 (a ragged row)", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(runDir));
    }

    [Fact]
    public async Task An_empty_class_folder_ends_baselines_with_exit_2_and_writes_nothing()
    {
        var shapes = OwnDataSets.WriteShapes(Path.Combine(_scratch, "shapes"), perClass: 2, size: 8);
        var empty = Directory.CreateDirectory(Path.Combine(shapes, "triangle")).FullName;
        var outDir = Path.Combine(_scratch, "baselines");

        var (code, error) = await Route("baselines", "--dataset-path", shapes, "--format", "image-folder", "--out", outDir);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains($"{empty}: empty class folder: holds no PNG or JPEG image", error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_batch_larger_than_the_training_part_ends_train_with_exit_2_before_the_run_directory()
    {
        var csv = OwnDataSets.WriteCsv(Path.Combine(_scratch, "boxes.csv"), samples: 100);
        var runDir = Path.Combine(_scratch, "run");

        // The default preset trains with batches of 128; 64 samples are left for training.
        var (code, error) = await Route("train", "--dataset-path", csv, "--format", "csv", "--out", runDir);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("alrs.env.batch-size 128 exceeds the 64 training samples of boxes", error);
        Assert.False(Directory.Exists(runDir));
    }

    [Theory]
    [InlineData(new[] { "--dataset-path", "x.csv" }, "alrs.env.dataset-format (--format) must be one of csv, idx, image-folder when alrs.env.dataset-path is set")]
    [InlineData(new[] { "--dataset-path", "x.csv", "--format", "parquet" }, "alrs.env.dataset-format: unknown format 'parquet' (known: csv, idx, image-folder)")]
    [InlineData(new[] { "--dataset", "mnist", "--dataset-path", "x.csv", "--format", "csv" }, "--dataset and --dataset-path name two data sets: give one")]
    [InlineData(new[] { "--arch", "vgg" }, "alrs.env.arch: unknown architecture 'vgg' (built in: mlp, lenet5, resnet18; described in alrs.networks: none)")]
    public async Task Bad_problem_flags_end_with_exit_2(string[] flags, string expected)
    {
        var (code, error) = await Route(["evaluate", "--policy", _scratch, .. flags]);
        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_described_network_and_the_own_data_keys_map_onto_the_problem()
    {
        var config = AlrsConfig.Load(overrides: new Dictionary<string, string>
        {
            ["alrs.env.dataset-path"] = "/data/iris.csv",
            ["alrs.env.dataset-format"] = "csv",
            ["alrs.env.own-data.csv.header"] = "skip",
            ["alrs.env.own-data.csv.label-column"] = "last",
            ["alrs.env.own-data.classes"] = "3",
            ["alrs.env.arch"] = "wide",
        }).WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("alrs.networks.wide = [\"linear 128\", \"linear 64\"]"));

        var problem = ExperimentSettings.Problem(config);

        Assert.Equal("iris", problem.DatasetName);
        Assert.Null(problem.Dataset);
        Assert.Equal(new OwnDataset("iris", "/data/iris.csv", OwnDataFormat.Csv) { Classes = 3, Csv = new CsvLayout(CsvHeader.Skip, "last") }, problem.OwnData);
        Assert.Equal("wide [linear 128, linear 64]", problem.Network.Description);
    }

    [Fact]
    public void The_worked_example_s_config_file_maps_onto_a_wine_mlp_on_a_headerless_csv()
    {
        var config = AlrsConfig.Load(TrainCommand.DefaultPreset, new Dictionary<string, string>
        {
            ["alrs.env.dataset-path"] = "wine.csv",
            ["alrs.env.dataset-format"] = "csv",
        }, configFile: Path.Combine(TestData.RepositoryRoot, "docs", "examples", "wine.hocon"));

        var problem = ExperimentSettings.Problem(config);

        Assert.Equal("wine", problem.DatasetName);
        Assert.Equal(new CsvLayout(CsvHeader.Skip, "last"), problem.OwnData!.Csv);
        Assert.Equal("wine-mlp [linear 32, linear 16]", problem.Network.Description);
        Assert.Equal(16, ExperimentSettings.Environment(config).BatchSize);
    }
}
