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
    /// <remarks>
    /// An unterminated last row that does not parse is left out: a write torn by a crash (files
    /// of older builds, which appended in place). That version's episodes are then not counted,
    /// as those of a killed process's pending rows are not, and a resumed run plays them again.
    /// </remarks>
    public static IReadOnlyList<VersionReturn> Read(string path)
    {
        var returns = new List<VersionReturn>();
        foreach (var row in CsvTable.Read(path, Header, lastLineMayBeTorn: true))
        {
            try
            {
                returns.Add(new VersionReturn(row.Int("version"), row.Int("episodes"), row.Double("mean_return")));
            }
            catch (InputException) when (row.Torn)
            {
                // The torn tail of an interrupted write: nothing of it can be trusted.
            }
        }
        return returns;
    }

    /// <summary>Appends one row, creating the file (and its directory) with the header first; the file is written whole (<see cref="AtomicFile"/>).</summary>
    public static void Append(string path, VersionReturn row)
    {
        var header = File.Exists(path) ? "" : Header + "\n";
        AtomicFile.AppendAllText(path, header + string.Create(CultureInfo.InvariantCulture, $"{row.Version},{row.Episodes},{row.MeanReturn:R}\n"));
    }
}
