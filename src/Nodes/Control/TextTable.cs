namespace Alrs.Nodes.Control;

/// <summary>Left-aligned text columns, two spaces apart, for command output.</summary>
public static class TextTable
{
    public static IEnumerable<string> Format(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Row(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        yield return Row(headers);
        foreach (var row in rows) yield return Row(row);
    }
}
