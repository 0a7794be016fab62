using System.Globalization;
using Alrs.Learning;

namespace Alrs.Reporting;

/// <summary>One decision of an evaluation episode: the child step, its rate, and its losses.</summary>
public sealed record TracePoint(int Step, double LearningRate, double TrainLoss, double ValidationLoss, double ValidationAccuracy);

/// <summary>
/// One evaluation episode of a schedule, read from <c>evaluation/traces/NAME_seedK.csv</c>
/// (header <c>step,lr,train_loss,val_loss,val_accuracy</c>; see docs/run-directory.md).
/// </summary>
public sealed record ScheduleTrace(string Path, IReadOnlyList<TracePoint> Points)
{
    public const string Header = "step,lr,train_loss,val_loss,val_accuracy";

    /// <exception cref="InputException">Missing file, wrong header, or a malformed row (named by line).</exception>
    public static ScheduleTrace Read(string path)
    {
        var rows = CsvTable.Read(path, Header);
        var points = rows.Select(r => new TracePoint(r.Int("step"), r.Double("lr"), r.Double("train_loss"), r.Double("val_loss"), r.Double("val_accuracy"))).ToList();
        return new ScheduleTrace(path, points);
    }

    /// <summary>Writes <paramref name="points"/> as a trace file (creating its directory), in the format <see cref="Read"/> expects.</summary>
    public static void Write(string path, IEnumerable<TracePoint> points)
    {
        var lines = points.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Step},{p.LearningRate:R},{p.TrainLoss:R},{p.ValidationLoss:R},{p.ValidationAccuracy:R}"));
        AtomicFile.WriteAllLines(path, [Header, .. lines]);
    }

    /// <summary>
    /// The per-step mean over several episodes of one schedule; a step missing from any
    /// episode is dropped, and a non-finite value (a diverged run) makes that mean non-finite.
    /// </summary>
    public static IReadOnlyList<TracePoint> MeanOver(IReadOnlyList<ScheduleTrace> traces)
    {
        if (traces.Count == 0) return [];
        var byStep = traces.Select(t => t.Points.GroupBy(p => p.Step).ToDictionary(g => g.Key, g => g.First())).ToList();
        return byStep[0].Keys.Where(step => byStep.All(d => d.ContainsKey(step))).Order()
            .Select(step =>
            {
                var points = byStep.Select(d => d[step]).ToList();
                return new TracePoint(step, points.Average(p => p.LearningRate), points.Average(p => p.TrainLoss),
                    points.Average(p => p.ValidationLoss), points.Average(p => p.ValidationAccuracy));
            }).ToList();
    }
}

/// <summary>
/// A small comma-separated table whose header must name the required columns (in any order,
/// others ignored); numbers in invariant culture. Errors name the file and line.
/// </summary>
sealed class CsvTable
{
    public sealed record Row(string Path, int Line, IReadOnlyDictionary<string, int> Columns, string[] Cells)
    {
        /// <summary>The file's last line without its line end: perhaps a write cut short (see <see cref="Read"/>).</summary>
        public bool Torn { get; init; }

        public int Int(string column) =>
            int.TryParse(Cell(column), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(column, "an integer");

        public double Double(string column) =>
            double.TryParse(Cell(column), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(column, "a number");

        string Cell(string column) => Cells[Columns[column]];

        InputException Bad(string column, string expected) =>
            new($"{Path} line {Line}: {column} is '{Cell(column)}', expected {expected}");
    }

    /// <param name="lastLineMayBeTorn">An unterminated last line is marked <see cref="Row.Torn"/>, and left out when its columns do not match.</param>
    public static IReadOnlyList<Row> Read(string path, string requiredHeader, bool lastLineMayBeTorn = false)
    {
        if (!File.Exists(path)) throw new InputException($"{path} does not exist");
        var text = File.ReadAllText(path);
        var lines = text.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
        var torn = lastLineMayBeTorn && text.Length > 0 && !text.EndsWith('\n') ? lines.Length - 1 : -1;
        var header = lines.Length == 0 ? [] : lines[0].Split(',').Select(c => c.Trim()).ToArray();
        var required = requiredHeader.Split(',');
        if (required.Except(header).ToList() is { Count: > 0 } missing)
            throw new InputException($"{path}: the header lacks {string.Join(", ", missing)} (expected '{requiredHeader}')");
        var columns = header.Select((name, index) => (name, index)).GroupBy(c => c.name).ToDictionary(g => g.Key, g => g.First().index);
        var rows = new List<Row>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var cells = lines[i].Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length != header.Length)
            {
                if (i == torn) break;
                throw new InputException($"{path} line {i + 1}: {cells.Length} columns, expected {header.Length}");
            }
            rows.Add(new Row(path, i + 1, columns, cells) { Torn = i == torn });
        }
        return rows;
    }
}
