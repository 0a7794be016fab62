using System.Globalization;
using System.Text;
using Alrs.Learning;
using Alrs.Learning.Evaluation;

namespace Alrs.Reporting;

/// <summary>What <see cref="RunReport.Write"/> produced: the page, its plots, and what was not available.</summary>
public sealed record ReportOutput(string HtmlPath, IReadOnlyList<string> Plots, IReadOnlyList<string> NotAvailable);

/// <summary>
/// Turns a run directory (docs/run-directory.md) into <c>report.html</c> with PNG plots in
/// <c>report/</c>: the learned policy's learning rates and losses beside the best constant,
/// the best step decay and the best cosine schedule, and the best knee schedule,
/// hypergradient descent and probe tuner when the summary has them (each line the per-step
/// mean over the evaluation seeds), the mean return per policy version, and the test table
/// (with each row's child steps, probes included, where they differ from the kept ones). A missing or
/// unreadable input becomes a "not available" note on the page. A directory holding
/// summary.json itself (the output of <c>alrs evaluate</c> or <c>alrs baselines</c>) is
/// reported in place as the evaluation part of a run.
/// </summary>
public static class RunReport
{
    public const string HtmlName = "report.html", PlotDirectory = "report";

    /// <summary>Families every summary of alrs baselines has; a missing one is noted on the page.</summary>
    static readonly string[] RequiredFamilies = ["constant", "step-decay", "cosine"];
    /// <summary>Later families (knee, online tuners): plotted when the summary has them, silently left out otherwise.</summary>
    static readonly string[] OptionalFamilies = ["knee", "hypergradient", "probe", "probe-equal-compute"];

    /// <exception cref="InputException">The directory does not exist or holds none of the run's parts.</exception>
    public static ReportOutput Write(string runDirectory)
    {
        var run = Path.GetFullPath(runDirectory);
        if (!Directory.Exists(run)) throw new InputException($"run directory {run} does not exist");
        var evaluation = File.Exists(Path.Combine(run, "summary.json")) ? run : Path.Combine(run, "evaluation");
        string[] parts = ["evaluation", "training", "tensorboard", "controllers"];
        if (evaluation != run && !parts.Any(p => Directory.Exists(Path.Combine(run, p))))
            throw new InputException($"{run} is not an alrs run directory: it has none of {string.Join(", ", parts.Select(p => p + "/"))} nor summary.json");

        var page = new Page(run);
        page.Heading("Learning-rate schedules");
        var summary = page.Try("evaluation summary", () => EvaluationSummary.Read(Path.Combine(evaluation, "summary.json")));
        var curves = Curves(page, evaluation, summary);
        page.Caption(curves.Count == 0 ? null : $"Each line is the per-step mean over {SeedText(curves)}; the baselines are the best of each family by mean final validation loss.");
        page.Plot("learning_rate", "Learning rate per child step", "child step", "learning rate", logY: true,
            curves.Select(c => (c.Label, c.Points.Select(p => ((double)p.Step, p.LearningRate)))));
        page.Heading("Losses");
        page.Plot("validation_loss", "Validation loss per child step", "child step", "validation loss", LogScaleSuits(curves.Select(c => c.Points.Select(p => p.ValidationLoss))),
            curves.Select(c => (c.Label, c.Points.Select(p => ((double)p.Step, p.ValidationLoss)))));
        page.Plot("train_loss", "Training loss per child step", "child step", "training loss", LogScaleSuits(curves.Select(c => c.Points.Select(p => p.TrainLoss))),
            curves.Select(c => (c.Label, c.Points.Select(p => ((double)p.Step, p.TrainLoss)))));
        page.Plot("validation_accuracy", "Validation accuracy per child step", "child step", "validation accuracy", logY: false,
            curves.Select(c => (c.Label, c.Points.Select(p => ((double)p.Step, p.ValidationAccuracy)))));

        page.Heading("Training: mean return per policy version");
        // A population run logs every controller in controllers/cK/.
        var controllers = Directory.Exists(Path.Combine(run, "controllers"))
            ? Directory.GetDirectories(Path.Combine(run, "controllers")).Order(StringComparer.Ordinal).ToArray()
            : [];
        if (controllers.Length > 0)
        {
            var lines = controllers.Select(c => (Name: Path.GetFileName(c), File: Path.Combine(c, "training", "returns.csv")))
                .Where(c => File.Exists(c.File))
                .Select(c => ($"controller {c.Name}", PolicyReturns.Read(c.File).Select(r => ((double)r.Version, r.MeanReturn))))
                .ToList();
            page.Plot("returns", "Mean episode return per policy version, per controller", "policy version", "mean return", logY: false, lines);
            if (File.Exists(Path.Combine(run, "selection.json"))) page.Paragraph(SelectionHtml(Path.Combine(run, "selection.json")));
        }
        else
        {
            var returns = page.Try("training returns", () => PolicyReturns.Read(Path.Combine(run, "training", "returns.csv")));
            if (returns is not null)
                page.Plot("returns", "Mean episode return per policy version", "policy version", "mean return", logY: false,
                    [("learned policy", returns.Select(r => ((double)r.Version, r.MeanReturn)))]);
        }

        page.Heading("Test results");
        if (summary is not null)
        {
            page.Table(TestRows(summary));
            page.Caption("Ahead / behind: the learned policy's test loss is lower / higher than the row's with the 95 % interval (Student's t over " +
                         "the seeds both ran) excluding 0; within noise: it does not. (cached): the row's runs were read from the baseline cache.");
        }
        else page.Paragraph("<span class=\"missing\">No test table: the evaluation summary is not available.</span>");

        if (Directory.Exists(Path.Combine(run, "tensorboard")))
            page.Paragraph($"Training curves per decision and per update: <code>tensorboard --logdir {Html(Path.Combine(run, "tensorboard"))}</code>");

        return page.Save(summary);
    }

    /// <summary>The selection of a population run (selection.json) as a table: each controller's validation losses and the choice.</summary>
    static string SelectionHtml(string path)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var chosen = root.GetProperty("selected").GetProperty("controller").GetInt32();
            var html = new StringBuilder();
            html.Append(CultureInfo.InvariantCulture, $"Selection on seed {root.GetProperty("selectionSeed").GetInt32()} (lowest mean final validation loss over the starts):");
            html.Append("<table>\n<tr><th>controller</th><th>training seed</th><th>version</th><th>validation loss per start</th><th>mean</th></tr>\n");
            foreach (var c in root.GetProperty("controllers").EnumerateArray())
            {
                var id = c.GetProperty("controller").GetInt32();
                var losses = string.Join(", ", c.GetProperty("validationLoss").EnumerateArray().Select(s =>
                    $"{s.GetProperty("initialLearningRate").GetDouble().ToString("G3", CultureInfo.InvariantCulture)}: {Number(s.GetProperty("validationLoss"))}"));
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>c{id}{(id == chosen ? " (selected)" : "")}</td><td class=\"number\">{c.GetProperty("trainingSeed").GetInt32()}</td><td class=\"number\">v{c.GetProperty("version").GetInt64()}</td><td>{Html(losses)}</td><td class=\"number\">{Number(c.GetProperty("meanValidationLoss"))}</td></tr>\n");
            }
            html.Append("</table>");
            if (root.TryGetProperty("pbt", out var pbt)) html.Append(LineageHtml(pbt));
            return html.ToString();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return $"<span class=\"missing\">selection.json not readable: {Html(e.Message)}</span>";
        }

        static string Number(System.Text.Json.JsonElement value) =>
            value.ValueKind == System.Text.Json.JsonValueKind.Number ? value.GetDouble().ToString("F4", CultureInfo.InvariantCulture) : value.ToString();
    }

    /// <summary>Population-based training's lineage (selection.json's <c>pbt.events</c>) as a table, one row per exploit, oldest first.</summary>
    static string LineageHtml(System.Text.Json.JsonElement pbt)
    {
        var events = pbt.GetProperty("events").EnumerateArray().ToArray();
        var html = new StringBuilder("<br>Population-based training lineage: ");
        if (events.Length == 0) return html.Append("no controller exploited another yet.").ToString();
        html.Append(CultureInfo.InvariantCulture, $"{events.Length} exploits (a bottom-quantile controller continues from a top-quantile one's version with explored hyperparameters):");
        html.Append("<table>\n<tr><th>time (UTC)</th><th>controller</th><th>from</th><th>mean return (from)</th><th>hyperparameters</th><th>explored</th></tr>\n");
        foreach (var e in events)
        {
            var values = string.Join(", ", e.GetProperty("hyperparameters").EnumerateObject().Select(p => $"{p.Name} = {p.Value.GetDouble().ToString("G4", CultureInfo.InvariantCulture)}"));
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Html(e.GetProperty("time").GetString() ?? "")}</td><td>c{e.GetProperty("controller").GetInt32()} v{e.GetProperty("version").GetInt64()}</td>" +
                $"<td>c{e.GetProperty("fromController").GetInt32()} v{e.GetProperty("fromVersion").GetInt64()}</td>" +
                $"<td class=\"number\">{e.GetProperty("meanReturn").GetDouble():0.###} ({e.GetProperty("fromMeanReturn").GetDouble():0.###})</td>" +
                $"<td>{Html(values)}</td><td>{Html(e.GetProperty("perturbation").GetString() ?? "")}</td></tr>\n");
        }
        return html.Append("</table>").ToString();
    }

    /// <summary>
    /// A plotted schedule's legend: "best …" only when its family had others to beat (an
    /// <c>alrs evaluate</c> summary holds just the constant at the policy's start).
    /// </summary>
    internal static string CurveLabel(EvaluationSummary summary, EvaluatedSchedule schedule) =>
        summary.Schedules.Count(s => s.Family == schedule.Family) > 1 ? $"best {schedule.Name}" : schedule.Name;

    /// <summary>One plotted schedule: its legend label, how many seeds its mean is over, and that mean trace.</summary>
    sealed record Curve(string Label, int Seeds, IReadOnlyList<TracePoint> Points);

    static List<Curve> Curves(Page page, string evaluation, EvaluationSummary? summary)
    {
        var picks = new List<(string Label, string Family, EvaluatedSchedule? Schedule)> { ("learned policy", EvaluationSummary.LearnedFamily, summary?.Learned) };
        if (summary is not null)
            foreach (var family in RequiredFamilies.Concat(OptionalFamilies))
            {
                if (summary.BestOf(family) is { } best) picks.Add((CurveLabel(summary, best), family, best));
                else if (RequiredFamilies.Contains(family)) page.NotAvailable($"no {family} schedule in summary.json");
            }

        var curves = new List<Curve>();
        foreach (var (label, family, schedule) in picks)
        {
            var stem = family == EvaluationSummary.LearnedFamily ? EvaluationSummary.LearnedFamily : TraceStem(schedule!.Name);
            var files = schedule is { Runs.Count: > 0 } && schedule.Runs.All(r => r.Trace is not null)
                ? schedule.Runs.Select(r => Path.Combine(evaluation, r.Trace!)).ToList()
                : TraceFiles(evaluation, stem);
            var traces = files.Select(f => page.Try($"trace {Path.GetFileName(f)}", () => ScheduleTrace.Read(f))).OfType<ScheduleTrace>().ToList();
            if (traces.Count == 0)
            {
                page.NotAvailable($"traces of {label} (evaluation/traces/{stem}_seedK.csv)");
                continue;
            }
            curves.Add(new Curve(label, traces.Count, ScheduleTrace.MeanOver(traces)));
        }
        return curves;
    }

    /// <summary>The trace file stem of a schedule name, by the rule <c>alrs baselines</c> names its files with.</summary>
    public static string TraceStem(string scheduleName) =>
        new string(scheduleName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '=' or '-' ? c : '_').ToArray()).TrimEnd('_');

    static List<string> TraceFiles(string evaluation, string stem)
    {
        var traces = Path.Combine(evaluation, "traces");
        if (!Directory.Exists(traces)) return [];
        var prefix = stem + "_seed";
        return Directory.EnumerateFiles(traces, prefix + "*.csv")
            .Where(f => int.TryParse(Path.GetFileNameWithoutExtension(f)[prefix.Length..], out _))
            .Order(StringComparer.Ordinal).ToList();
    }

    static string SeedText(IReadOnlyList<Curve> curves)
    {
        var counts = curves.Select(c => c.Seeds).Distinct().ToList();
        return counts.Count == 1 ? $"{counts[0]} evaluation seed{(counts[0] == 1 ? "" : "s")}" : "the evaluation seeds available for each schedule";
    }

    /// <summary>Losses spanning more than a decade (all positive) read better on a log axis.</summary>
    static bool LogScaleSuits(IEnumerable<IEnumerable<double>> values)
    {
        var finite = values.SelectMany(v => v).Where(double.IsFinite).ToList();
        return finite.Count > 0 && finite.Min() > 0 && finite.Max() / finite.Min() > 10;
    }

    /// <summary>
    /// The learned policy first, then the summary's table (constants, the best of each other
    /// family), or those rows chosen here when the summary has no table.
    /// </summary>
    static List<string[]> TestRows(EvaluationSummary summary)
    {
        var table = summary.Table.Count > 0
            ? summary.Table
            : summary.Schedules.Where(s => s.Family == "constant").Select(s => new TestTableRow(s.Name, s))
                .Concat(RequiredFamilies.Skip(1).Concat(OptionalFamilies).Select(summary.BestOf).OfType<EvaluatedSchedule>().Select(b => new TestTableRow($"best {b.Name}", b)))
                .ToList();
        var rows = new List<TestTableRow> { new("learned policy", summary.Learned) };
        rows.AddRange(table.Where(r => r.Schedule?.Family != EvaluationSummary.LearnedFamily));
        return rows.Select(r => Row(r, summary.Learned)).ToList();
    }

    static string[] Row(TestTableRow row, EvaluatedSchedule? learned) => row.Schedule is { } s
        ?
        [
            row.Label + s.CacheNote, s.Runs.Count > 0 ? s.Runs.Count.ToString(CultureInfo.InvariantCulture) : "", MeanStd(s.MeanTestLoss, s.StdTestLoss, "F4"),
            MeanStd(s.MeanTestAccuracy * 100, s.StdTestAccuracy * 100, "F2", "%"), ChildSteps(s), .. Paired(learned, s),
        ]
        : [row.Label, "", "not available", "not available", "", "", ""];

    /// <summary>
    /// The learned policy against <paramref name="baseline"/>, paired by seed as the console table
    /// does: learned − baseline test loss, mean [95 % interval], and the verdict. Empty for the
    /// learned row itself or when no learned policy is in the summary.
    /// </summary>
    static string[] Paired(EvaluatedSchedule? learned, EvaluatedSchedule baseline)
    {
        if (learned is null || baseline.Family == EvaluationSummary.LearnedFamily) return ["", ""];
        var difference = PairedDifference.Of(learned.Runs.Select(r => (r.Seed, r.TestLoss)), baseline.Runs.Select(r => (r.Seed, r.TestLoss)));
        return difference is null
            ? ["", "fewer than 2 shared seeds"]
            : [FormattableString.Invariant($"{difference.Mean:+0.0000;-0.0000} [{difference.Low:+0.0000;-0.0000}, {difference.High:+0.0000;-0.0000}]"), difference.Verdict];
    }

    /// <summary>"1400 (1000 kept)" for a tuner whose probes cost child steps beyond its kept trajectory, else the steps, or empty when not recorded.</summary>
    static string ChildSteps(EvaluatedSchedule s)
    {
        if (!double.IsFinite(s.MeanChildSteps)) return "";
        var child = s.MeanChildSteps.ToString("F0", CultureInfo.InvariantCulture);
        return double.IsFinite(s.MeanKeptSteps) && Math.Abs(s.MeanKeptSteps - s.MeanChildSteps) >= 0.5
            ? $"{child} ({s.MeanKeptSteps.ToString("F0", CultureInfo.InvariantCulture)} kept)"
            : child;
    }

    static string MeanStd(double mean, double std, string format, string unit = "") =>
        double.IsFinite(mean)
            ? string.Create(CultureInfo.InvariantCulture, $"{mean.ToString(format, CultureInfo.InvariantCulture)}{unit} ± {std.ToString(format, CultureInfo.InvariantCulture)}{unit}")
            : "diverged";

    /// <summary>Escapes markup characters only, so that ± and other UTF-8 text stays readable in the file.</summary>
    static string Html(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    /// <summary>Accumulates the page's HTML, the plots written and the notes about missing inputs.</summary>
    sealed class Page(string run)
    {
        readonly StringBuilder body = new();
        readonly List<string> plots = [];
        readonly List<string> notAvailable = [];

        public T? Try<T>(string what, Func<T> read) where T : class
        {
            try
            {
                return read();
            }
            catch (InputException e)
            {
                NotAvailable($"{what}: {e.Message}");
                return null;
            }
        }

        public void NotAvailable(string what)
        {
            notAvailable.Add(what);
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"missing\">Not available: {Html(what)}</p>\n");
        }

        public void Heading(string text) => body.Append(CultureInfo.InvariantCulture, $"<h2>{Html(text)}</h2>\n");

        public void Caption(string? text)
        {
            if (text is not null) body.Append(CultureInfo.InvariantCulture, $"<p>{Html(text)}</p>\n");
        }

        public void Paragraph(string html) => body.Append(CultureInfo.InvariantCulture, $"<p>{html}</p>\n");

        public void Plot(string name, string title, string xLabel, string yLabel, bool logY,
            IEnumerable<(string Label, IEnumerable<(double X, double Y)> Points)> series)
        {
            var lines = series.Select(s => (s.Label, Points: s.Points.ToList())).ToList();
            // Markers tell short series apart where their lines overlap.
            var plot = new LinePlot(title, xLabel, yLabel) { LogY = logY, Markers = lines.All(l => l.Points.Count <= 40) };
            foreach (var (label, points) in lines) plot.Add(label, points);
            if (plot.Series.Count == 0)
            {
                NotAvailable($"{title}: no data");
                return;
            }
            var relative = $"{PlotDirectory}/{name}.png";
            try
            {
                plot.SavePng(Path.Combine(run, PlotDirectory, name + ".png"));
            }
            catch (InvalidOperationException e)
            {
                NotAvailable($"{title}: {e.Message}");
                return;
            }
            plots.Add(Path.Combine(run, PlotDirectory, name + ".png"));
            body.Append(CultureInfo.InvariantCulture, $"<figure><img src=\"{relative}\" alt=\"{Html(title)}\" width=\"900\"><figcaption>{Html(title)}</figcaption></figure>\n");
        }

        public void Table(IReadOnlyList<string[]> rows)
        {
            body.Append("<table>\n<tr><th>schedule</th><th>seeds</th><th>test loss (mean ± std)</th><th>test accuracy (mean ± std)</th><th>child steps</th>" +
                        "<th>learned − this, test loss: mean [95 % CI], paired by seed</th><th>verdict</th></tr>\n");
            foreach (var row in rows)
                body.Append("<tr>").AppendJoin("", row.Select((cell, i) => i == 0 ? $"<td>{Html(cell)}</td>" : $"<td class=\"number\">{Html(cell)}</td>")).Append("</tr>\n");
            body.Append("</table>\n");
        }

        public ReportOutput Save(EvaluationSummary? summary)
        {
            var facts = summary is null ? "" : string.Join(", ", new[]
            {
                summary.Dataset is { } d ? $"dataset {d}" : null,
                summary.Architecture is { } a ? $"network {a}" : null,
                summary.Steps is { } s ? $"{s} child steps" : null,
                summary.Seeds.Count > 0 ? $"seeds {string.Join(", ", summary.Seeds)}" : null,
            }.OfType<string>());
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            html.Append(CultureInfo.InvariantCulture, $"<title>alrs report: {Html(Path.GetFileName(run))}</title>\n");
            html.Append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}" +
                        "table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.3em .7em}td.number{text-align:right;font-variant-numeric:tabular-nums}" +
                        "th{background:#eee}figure{margin:1em 0}img{max-width:100%;height:auto}.missing{color:#a33}</style>\n</head>\n<body>\n");
            html.Append(CultureInfo.InvariantCulture, $"<h1>alrs report: {Html(Path.GetFileName(run))}</h1>\n<p>Run directory <code>{Html(run)}</code>");
            if (facts.Length > 0) html.Append(CultureInfo.InvariantCulture, $"; {Html(facts)}");
            html.Append(CultureInfo.InvariantCulture, $". Written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.</p>\n");
            html.Append(body).Append("</body>\n</html>\n");
            var path = Path.Combine(run, HtmlName);
            AtomicFile.WriteAllText(path, html.ToString());
            return new ReportOutput(path, plots, notAvailable);
        }
    }
}
