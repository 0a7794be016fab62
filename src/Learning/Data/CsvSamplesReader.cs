using System.Globalization;

namespace Alrs.Learning.Data;

/// <summary>
/// Reads a CSV data set: one sample per non-blank line, numeric features and one integer class
/// label column (<see cref="CsvLayout"/>). Every feature becomes a channel of a 1×1 image,
/// (N, F, 1, 1), so per-channel normalisation standardises each feature. Any fault names the
/// file and the line: a ragged row, a field that is not a finite number, a label that is not an
/// integer or lies outside the class count.
/// </summary>
public static class CsvSamplesReader
{
    /// <param name="classes">Labels must lie in [0, classes); 0 only requires them to be non-negative.</param>
    public static LabelledSamples Read(string path, CsvLayout layout, int classes = 0)
    {
        IEnumerable<string> lines;
        try
        {
            if (Directory.Exists(path)) throw DatasetException.For(path, "is a folder; the csv format takes one file (the test part goes in alrs.env.own-data.test-path)");
            lines = File.ReadLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw DatasetException.For(path, "missing");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DatasetException.For(path, $"cannot be read: {e.Message}", e);
        }

        var values = new List<float>();
        var labels = new List<int>();
        int? labelColumn = null;
        var columns = 0;
        var columnsLine = 0;
        var number = 0;
        try
        {
            foreach (var line in lines)
            {
                number++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var fields = line.Split(layout.Separator).Select(Unquote).ToArray();
                if (number == 1 && layout.Header != CsvHeader.None)
                {
                    // A skipped first line may have any number of fields (scikit-learn's: counts and class names).
                    if (layout.Header == CsvHeader.Names) (labelColumn, columns, columnsLine) = (NamedColumn(path, fields, layout.LabelColumn), fields.Length, 1);
                    continue;
                }
                if (columns == 0) (columns, columnsLine) = (fields.Length, number);
                if (fields.Length != columns)
                    throw DatasetException.AtLine(path, number, $"{fields.Length} fields, but line {columnsLine} has {columns} (a ragged row)");
                if (columns < 2) throw DatasetException.AtLine(path, number, $"1 field; a sample needs at least one feature and a label (separator '{layout.Separator}')");
                labelColumn ??= NumberedColumn(path, number, columns, layout.LabelColumn);

                for (var c = 0; c < columns; c++)
                {
                    if (c == labelColumn) continue;
                    if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                        throw DatasetException.AtLine(path, number, $"column {c} '{fields[c]}' is not a finite number");
                    values.Add((float)value);
                }
                labels.Add(Label(path, number, fields[labelColumn.Value], classes));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DatasetException.For(path, $"cannot be read: {e.Message}", e);
        }

        if (labels.Count == 0) throw DatasetException.For(path, "holds no samples");
        var features = columns - 1;
        return new LabelledSamples(labels.Count, features, 1, 1, [.. values], [.. labels]);
    }

    static int NamedColumn(string path, string[] header, string name)
    {
        if (name.Trim().Equals("last", StringComparison.OrdinalIgnoreCase)) return header.Length - 1;
        var index = Array.IndexOf(header, name.Trim());
        return index >= 0
            ? index
            : throw DatasetException.AtLine(path, 1, $"no column named '{name}' for the label (columns: {string.Join(", ", header)}); set alrs.env.own-data.csv.label-column");
    }

    static int NumberedColumn(string path, int line, int columns, string text)
    {
        if (text.Trim().Equals("last", StringComparison.OrdinalIgnoreCase)) return columns - 1;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
            throw DatasetException.For(path, $"label column '{text}' must be a 0-based column number or `last` when the file has no header of names");
        return index >= 0 && index < columns
            ? index
            : throw DatasetException.AtLine(path, line, $"label column {index} is beyond its {columns} columns (numbered from 0)");
    }

    static int Label(string path, int line, string field, int classes)
    {
        if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var label))
            throw DatasetException.AtLine(path, line, $"label '{field}' is not an integer class");
        if (label < 0) throw DatasetException.AtLine(path, line, $"label {label} is negative; classes are numbered from 0");
        if (classes > 0 && label >= classes)
            throw DatasetException.AtLine(path, line, $"label {label} is outside the {classes} classes [0, {classes})");
        return label;
    }

    static string Unquote(string field)
    {
        var trimmed = field.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1].Trim() : trimmed;
    }
}
