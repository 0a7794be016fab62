using System.Globalization;
using Alrs.Learning;

namespace Alrs.Reporting;

/// <summary>The mean episode return of the episodes sampled with one policy version.</summary>
public sealed record VersionReturn(long Version, int Episodes, double MeanReturn);

/// <summary><c>training/returns.csv</c>: header <c>version,episodes,mean_return</c>, one row per policy version.</summary>
public static class PolicyReturns
{
    public const string Header = "version,episodes,mean_return";

    /// <exception cref="InputException">Missing file, wrong header, or a malformed row (named by line).</exception>
    public static IReadOnlyList<VersionReturn> Read(string path) =>
        CsvTable.Read(path, Header).Select(r => new VersionReturn(r.Int("version"), r.Int("episodes"), r.Double("mean_return"))).ToList();

    /// <summary>Appends one row, creating the file (and its directory) with the header first.</summary>
    public static void Append(string path, VersionReturn row)
    {
        if (Path.GetDirectoryName(path) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
        var header = File.Exists(path) ? "" : Header + "\n";
        File.AppendAllText(path, header + string.Create(CultureInfo.InvariantCulture, $"{row.Version},{row.Episodes},{row.MeanReturn:R}\n"));
    }
}
