using SkiaSharp;

namespace Alrs.Reporting;

/// <summary>
/// The typeface plots are labelled with. The bundled libSkiaSharp has no fontconfig, so the
/// font is loaded from a file: ALRS_PLOT_FONT if set, else DejaVu Sans or Liberation Sans
/// (Debian's fonts-dejavu-core / fonts-liberation), else the first TrueType font found under
/// the usual font directories.
/// </summary>
public static class PlotFont
{
    static readonly string[] Preferred =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    ];

    static readonly string[] FontDirectories = ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", @"C:\Windows\Fonts"];

    static readonly Lazy<SKTypeface> Loaded = new(Load);

    /// <exception cref="InvalidOperationException">No usable font file exists on this machine.</exception>
    public static SKTypeface Typeface => Loaded.Value;

    static SKTypeface Load()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("ALRS_PLOT_FONT") is { Length: > 0 } configured) candidates.Add(configured);
        candidates.AddRange(Preferred);
        candidates.AddRange(FontDirectories.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.ttf", SearchOption.AllDirectories).Order(StringComparer.Ordinal)));
        foreach (var path in candidates.Where(File.Exists))
            if (SKTypeface.FromFile(path) is { } typeface) return typeface;
        throw new InvalidOperationException(
            "no TrueType font found for plot labels: install fonts-dejavu-core or set ALRS_PLOT_FONT to a .ttf file");
    }
}
