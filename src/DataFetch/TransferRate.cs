using System.Diagnostics;
using System.Globalization;

namespace Alrs.DataFetch;

/// <summary>Formats sizes and transfer speeds for progress lines ("11.5 MB in 1.2 s, 9.6 MB/s").</summary>
public static class TransferRate
{
    public static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static string Describe(long bytes, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-3);
        return string.Create(CultureInfo.InvariantCulture, $"{Megabytes(bytes)} in {seconds:0.0} s, {bytes / 1e6 / seconds:0.0} MB/s");
    }

    public static string Describe(long bytes, Stopwatch watch) => Describe(bytes, watch.Elapsed);
}
