using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Alrs.Reporting;
using Alrs.Learning;

namespace Alrs.Reporting.Tests;

public sealed class RunReportTests : IDisposable
{
    readonly RunDirectoryFixture run = new();

    public void Dispose() => run.Dispose();

    /// <summary>The image paths the page refers to, resolved against the run directory.</summary>
    static List<string> ImagesOf(string html, string runDirectory) =>
        Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => Path.Combine(runDirectory, m.Groups[1].Value)).ToList();

    /// <summary>Width and height from a PNG's IHDR chunk (and a check of its signature).</summary>
    static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void Complete_run_directory_gives_a_page_with_every_plot_and_the_test_table()
    {
        run.WriteAll();

        var output = RunReport.Write(run.Path);

        Assert.Equal(Path.Combine(run.Path, "report.html"), output.HtmlPath);
        Assert.Empty(output.NotAvailable);
        var html = File.ReadAllText(output.HtmlPath);
        var images = ImagesOf(html, run.Path);
        Assert.Equal(
            ["learning_rate", "validation_loss", "train_loss", "validation_accuracy", "returns"],
            images.Select(Path.GetFileNameWithoutExtension));
        foreach (var image in images)
        {
            Assert.True(new FileInfo(image).Length > 10_000, $"{image} is suspiciously small");
            var (width, height) = PngSize(image);
            Assert.InRange(width, 600, 3000);
            Assert.InRange(height, 400, 2000);
        }
        Assert.Contains("<td>learned policy</td>", html);
        Assert.Contains("<td>best step-decay(lr=0.01,every=20,factor=0.9)</td>", html);
        Assert.Contains("<td>constant(lr=0.0001)</td>", html);
        Assert.Matches(@"<td class=""number"">\d\.\d{4} ± \d\.\d{4}</td>", html);
        Assert.DoesNotContain("Not available", html);
    }

    [Fact]
    public void A_population_based_training_run_shows_its_lineage_as_a_table_under_the_selection()
    {
        run.WriteEvaluation();
        foreach (var k in new[] { 0, 1 })
            PolicyReturns.Append(Path.Combine(run.Path, "controllers", $"c{k}", "training", "returns.csv"), new VersionReturn(1, 2, -5 + k));
        File.WriteAllText(Path.Combine(run.Path, "selection.json"), """
            {
              "selectionSeed": 100,
              "controllers": [
                { "controller": 0, "trainingSeed": 7, "version": 4, "validationLoss": [{ "initialLearningRate": 0.01, "validationLoss": 0.5 }], "meanValidationLoss": 0.5 },
                { "controller": 1, "trainingSeed": 8, "version": 5, "validationLoss": [{ "initialLearningRate": 0.01, "validationLoss": 0.6 }], "meanValidationLoss": 0.6 }
              ],
              "selected": { "controller": 0, "version": 4, "policy": "policy-v4.alrspol" },
              "pbt": {
                "events": [
                  { "time": "2026-12-03T16:45:14.6Z", "controller": 1, "version": 5, "updates": 4, "meanReturn": -3.64, "fromController": 0, "fromVersion": 2,
                    "fromMeanReturn": -3.5, "hyperparameters": { "learning-rate": 0.0036, "clip-coefficient": 0.16 }, "perturbation": "learning-rate \u00D71.2, clip-coefficient resampled" }
                ]
              }
            }
            """);

        var html = File.ReadAllText(RunReport.Write(run.Path).HtmlPath);

        Assert.Contains("Population-based training lineage: 1 exploits", html);
        Assert.Contains("<td>c1 v5</td><td>c0 v2</td>", html);
        Assert.Contains("<td>learning-rate = 0.0036, clip-coefficient = 0.16</td><td>learning-rate ×1.2, clip-coefficient resampled</td>", html);
    }

    [Fact]
    public void Plots_show_the_learned_policy_and_the_best_of_each_family_only()
    {
        run.WriteAll();

        RunReport.Write(run.Path);

        var html = File.ReadAllText(Path.Combine(run.Path, "report.html"));
        Assert.Contains("mean over 2 evaluation seeds", html);
        // The plotted schedules are the legend entries; checked through the curve selection.
        var summary = EvaluationSummary.Read(Path.Combine(run.Evaluation, "summary.json"));
        Assert.Equal("constant(lr=0.01)", summary.BestOf("constant")?.Name);
        Assert.Equal("step-decay(lr=0.01,every=20,factor=0.9)", summary.BestOf("step-decay")?.Name);
        Assert.Equal("cosine(lr=0.01,min=1E-05)", summary.BestOf("cosine")?.Name);
        Assert.Equal("learned", summary.Learned?.Name);
        Assert.Equal("best constant(lr=0.01)", RunReport.CurveLabel(summary, summary.BestOf("constant")!));
        // alrs evaluate's summary: the constant at the start is the only one, not the best of several.
        var evaluateSummary = summary with { Schedules = summary.Schedules.Where(s => s.Family != "constant" || s.Name == "constant(lr=0.001)").ToList() };
        Assert.Equal("constant(lr=0.001)", RunReport.CurveLabel(evaluateSummary, evaluateSummary.BestOf("constant")!));
    }

    [Fact]
    public void Learned_traces_without_a_summary_entry_are_plotted_and_its_test_row_is_not_available()
    {
        run.WriteEvaluation(learnedInSummary: false).WriteReturns(3);

        var output = RunReport.Write(run.Path);

        var html = File.ReadAllText(output.HtmlPath);
        Assert.Contains("<tr><td>learned policy</td><td class=\"number\"></td><td class=\"number\">not available</td>", html);
        Assert.Contains(Path.Combine(run.Path, "report", "learning_rate.png"), output.Plots);
    }

    [Fact]
    public void Missing_returns_and_summary_are_reported_as_not_available()
    {
        Directory.CreateDirectory(Path.Combine(run.Path, "tensorboard"));

        var output = RunReport.Write(run.Path);

        var html = File.ReadAllText(output.HtmlPath);
        Assert.Contains("Not available: evaluation summary:", html);
        Assert.Contains("Not available: training returns:", html);
        Assert.Contains(output.NotAvailable, n => n.Contains("summary.json"));
        Assert.Contains(output.NotAvailable, n => n.Contains("returns.csv"));
        Assert.Empty(output.Plots);
        Assert.Contains("tensorboard --logdir", html);
    }

    [Fact]
    public void Only_returns_give_a_page_with_the_returns_plot()
    {
        run.WriteReturns(5);

        var output = RunReport.Write(run.Path);

        Assert.Equal([Path.Combine(run.Path, "report", "returns.png")], output.Plots);
    }

    [Fact]
    public void Malformed_trace_is_named_on_the_page_instead_of_failing()
    {
        run.WriteAll();
        var broken = Path.Combine(run.Evaluation, "traces", "learned_seed1.csv");
        File.AppendAllText(broken, "1010,abc,1,1,0.5\n");

        var output = RunReport.Write(run.Path);

        Assert.Contains(output.NotAvailable, n => n.Contains("learned_seed1.csv") && n.Contains("line 102") && n.Contains("'abc'"));
    }

    [Fact]
    public void Empty_directory_is_rejected_naming_it()
    {
        Directory.CreateDirectory(run.Path);

        var error = Assert.Throws<InputException>(() => RunReport.Write(run.Path));

        Assert.Contains(run.Path, error.Message);
        Assert.Contains("not an alrs run directory", error.Message);
    }

    [Fact]
    public void Missing_directory_is_rejected_naming_it()
    {
        var error = Assert.Throws<InputException>(() => RunReport.Write(run.Path));

        Assert.Contains(run.Path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Summary_without_schedules_is_rejected_naming_the_file()
    {
        Directory.CreateDirectory(run.Evaluation);
        var path = Path.Combine(run.Evaluation, "summary.json");
        File.WriteAllText(path, "{\"name\": \"something else\"}");

        var error = Assert.Throws<InputException>(() => EvaluationSummary.Read(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Mean_trace_averages_seeds_step_by_step_and_keeps_divergence_visible()
    {
        var a = new ScheduleTrace("a", [new(10, 0.1, 1.0, 2.0, 0.5), new(20, 0.2, 0.5, 1.0, 0.7)]);
        var b = new ScheduleTrace("b", [new(10, 0.3, 3.0, 4.0, 0.7), new(20, 0.4, double.NaN, 3.0, 0.9)]);

        var mean = ScheduleTrace.MeanOver([a, b]);

        Assert.Equal([10, 20], mean.Select(p => p.Step));
        Assert.Equal(0.2, mean[0].LearningRate, 12);
        Assert.Equal(3.0, mean[0].ValidationLoss, 12);
        Assert.True(double.IsNaN(mean[1].TrainLoss));
    }

    [Fact]
    public void Evaluation_directory_on_its_own_is_reported_in_place()
    {
        run.WriteEvaluation();

        var output = RunReport.Write(run.Evaluation);

        Assert.Equal(Path.Combine(run.Evaluation, "report.html"), output.HtmlPath);
        Assert.Contains(Path.Combine(run.Evaluation, "report", "learning_rate.png"), output.Plots);
        Assert.Contains("<tr><td>learned policy</td><td class=\"number\">2</td>", File.ReadAllText(output.HtmlPath));
        Assert.Equal([output.NotAvailable.Single(n => n.Contains("returns.csv"))], output.NotAvailable);
    }

    [Fact]
    public void The_test_table_gives_each_baseline_the_paired_difference_its_interval_and_the_verdict()
    {
        // Test losses by seed: learned 0.30/0.31/0.32. "ahead-of" is beaten by 0.10, 0.11, 0.09
        // (mean −0.1000, t(2) interval ±4.3027·0.01/√3 = ±0.0248); "behind-of" wins by 0.05 on
        // every seed; "level" differs by +0.01, −0.01, 0; "one-seed" shares a single seed.
        var dir = Directory.CreateDirectory(Path.Combine(run.Path, "evaluation")).FullName;
        static string Schedule(string name, string family, double[] losses, int[] seeds, bool cached = false) =>
            $$"""{ "name": "{{name}}", "family": "{{family}}", "meanValidationLoss": 0.3, "meanTestLoss": {{losses.Average().ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "stdTestLoss": 0.01, "meanTestAccuracy": 0.9, "stdTestAccuracy": 0.01, "runs": [{{string.Join(",", seeds.Select((seed, i) => $$"""{ "seed": {{seed}}, "testLoss": {{losses[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "testAccuracy": 0.9, "cached": {{(cached ? "true" : "false")}} }"""))}}] }""";
        int[] three = [0, 1, 2];
        File.WriteAllText(Path.Combine(dir, "summary.json"), $$"""
            { "dataset": "mnist", "arch": "mlp", "steps": 100, "seeds": [0, 1, 2],
              "table": [ { "label": "ahead-of", "schedule": "ahead-of" }, { "label": "behind-of", "schedule": "behind-of" },
                         { "label": "level", "schedule": "level" }, { "label": "one-seed", "schedule": "one-seed" } ],
              "schedules": [
                {{Schedule("learned", "learned", [0.30, 0.31, 0.32], three)}},
                {{Schedule("ahead-of", "constant", [0.40, 0.42, 0.41], three, cached: true)}},
                {{Schedule("behind-of", "constant", [0.25, 0.26, 0.27], three)}},
                {{Schedule("level", "constant", [0.29, 0.32, 0.32], three)}},
                {{Schedule("one-seed", "constant", [0.2], [1])}} ] }
            """);

        var html = File.ReadAllText(RunReport.Write(run.Path).HtmlPath);

        Assert.Contains("<th>learned − this, test loss: mean [95 % CI], paired by seed</th><th>verdict</th>", html);
        Assert.Matches(@"<td>ahead-of \(cached\)</td>.*<td class=""number"">-0.1000 \[-0.1248, -0.0752\]</td><td class=""number"">ahead</td></tr>", html);
        Assert.Matches(@"<td>behind-of</td>.*<td class=""number"">\+0.0500 \[\+0.0500, \+0.0500\]</td><td class=""number"">behind</td></tr>", html);
        Assert.Matches(@"<td>level</td>.*<td class=""number"">[+-]0.0000 \[-0.0248, \+0.0248\]</td><td class=""number"">within noise</td></tr>", html);
        Assert.Matches(@"<td>one-seed</td>.*<td class=""number""></td><td class=""number"">fewer than 2 shared seeds</td></tr>", html);
        Assert.Matches(@"<td>learned policy</td>.*<td class=""number""></td><td class=""number""></td></tr>", html);
    }
}
