using System.Globalization;
using System.Text.Json;
using Alrs.Reporting;

namespace Alrs.Reporting.Tests;

/// <summary>
/// A small run directory written the way <c>alrs baselines</c> and training write theirs:
/// evaluation/summary.json, evaluation/traces/*.csv, training/returns.csv. Deleted on dispose.
/// </summary>
public sealed class RunDirectoryFixture : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "alrs-report-" + Guid.NewGuid().ToString("N"));
    public string Evaluation => System.IO.Path.Combine(Path, "evaluation");

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }

    public static readonly int[] Seeds = [0, 1];

    /// <summary>(name, family, schedule rate at step t, how fast its loss falls).</summary>
    static readonly (string Name, string Family, Func<int, double> Rate, double Speed)[] Schedules =
    [
        ("constant(lr=0.1)", "constant", _ => 0.1, 0.2),
        ("constant(lr=0.01)", "constant", _ => 0.01, 1.0),
        ("constant(lr=0.001)", "constant", _ => 0.001, 0.6),
        ("constant(lr=0.0001)", "constant", _ => 0.0001, 0.15),
        ("step-decay(lr=0.01,every=20,factor=0.9)", "step-decay", t => 0.01 * Math.Pow(0.9, t / 20), 1.3),
        ("step-decay(lr=0.1,every=10,factor=0.88)", "step-decay", t => 0.1 * Math.Pow(0.88, t / 10), 0.9),
        ("cosine(lr=0.01,min=1E-05)", "cosine", t => 1e-5 + (0.01 - 1e-5) * (1 + Math.Cos(Math.PI * t / 1000)) / 2, 1.2),
        ("cosine(lr=0.1,min=1E-05)", "cosine", t => 1e-5 + (0.1 - 1e-5) * (1 + Math.Cos(Math.PI * t / 1000)) / 2, 0.5),
    ];

    const string BestStepDecay = "step-decay(lr=0.01,every=20,factor=0.9)", BestCosine = "cosine(lr=0.01,min=1E-05)";

    /// <summary>Writes every part; <paramref name="learnedInSummary"/> adds the learned policy to summary.json too.</summary>
    public RunDirectoryFixture WriteAll(bool learnedInSummary = true) => WriteEvaluation(learnedInSummary).WriteReturns(40);

    public RunDirectoryFixture WriteEvaluation(bool learnedInSummary = true)
    {
        var rows = new List<object>();
        foreach (var (name, family, rate, speed) in Schedules)
            rows.Add(WriteSchedule(name, family, rate, speed));
        // The learned policy: rises briefly, then anneals; the fastest loss decrease.
        var learned = WriteSchedule("learned", "learned", t => 0.003 * Math.Min(2.5, 1 + t / 100.0) * Math.Exp(-t / 400.0), 1.5);
        if (learnedInSummary) rows.Add(learned);
        var document = new
        {
            dataset = "fashion-mnist",
            arch = "mlp",
            steps = 1000,
            seeds = Seeds,
            best = new { stepDecay = BestStepDecay, cosine = BestCosine },
            table = new object[]
            {
                new { label = "constant(lr=0.1)", schedule = "constant(lr=0.1)" },
                new { label = "constant(lr=0.01)", schedule = "constant(lr=0.01)" },
                new { label = "constant(lr=0.001)", schedule = "constant(lr=0.001)" },
                new { label = "constant(lr=0.0001)", schedule = "constant(lr=0.0001)" },
                new { label = $"best {BestStepDecay}", schedule = BestStepDecay },
                new { label = $"best {BestCosine}", schedule = BestCosine },
            },
            schedules = rows,
        };
        File.WriteAllText(System.IO.Path.Combine(Evaluation, "summary.json"), JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        return this;
    }

    object WriteSchedule(string name, string family, Func<int, double> rate, double speed)
    {
        var runs = new List<object>();
        foreach (var seed in Seeds)
        {
            var noise = new Random(seed * 31 + name.Length);
            var points = Enumerable.Range(1, 100).Select(d => d * 10).Select(step =>
            {
                var progress = 1 - Math.Exp(-speed * step / 250.0);
                var val = 0.3 + 2.0 * (1 - progress) + 0.02 * noise.NextDouble();
                return new TracePoint(step, rate(step), val * 0.9 + 0.05 * noise.NextDouble(), val, 0.1 + 0.8 * progress);
            }).ToList();
            var file = $"{RunReport.TraceStem(name)}_seed{seed}.csv";
            ScheduleTrace.Write(System.IO.Path.Combine(Evaluation, "traces", file), points);
            runs.Add(new
            {
                seed,
                validationLoss = points[^1].ValidationLoss,
                testLoss = points[^1].ValidationLoss + 0.01 * seed,
                testAccuracy = points[^1].ValidationAccuracy - 0.01 * seed,
                trace = System.IO.Path.Combine("traces", file),
            });
        }
        var final = 0.3 + 2.0 * Math.Exp(-speed * 4);
        return new
        {
            name, family,
            meanValidationLoss = final,
            meanTestLoss = final + 0.005,
            stdTestLoss = 0.005,
            meanTestAccuracy = 0.9 - final / 10,
            stdTestAccuracy = 0.01,
            runs,
        };
    }

    public RunDirectoryFixture WriteReturns(int versions)
    {
        for (var v = 1; v <= versions; v++)
            PolicyReturns.Append(System.IO.Path.Combine(Path, "training", "returns.csv"),
                new VersionReturn(v, 4, -60 + 35 * (1 - Math.Exp(-v / 10.0)) + 2 * Math.Sin(v)));
        return this;
    }

    public string Read(params string[] relative) =>
        File.ReadAllText(System.IO.Path.Combine([Path, .. relative]), System.Text.Encoding.UTF8);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
