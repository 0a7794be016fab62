using Alrs.Reporting;
using SkiaSharp;

namespace Alrs.Reporting.Tests;

public sealed class LinePlotTests : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "alrs-plot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Log_axis_labels_every_decade_of_the_data()
    {
        var axis = LinePlot.Axis.Log(1e-5, 1e-1);

        Assert.True(axis.Logarithmic);
        Assert.Equal(["1e-5", "1e-4", "1e-3", "1e-2", "1e-1"], axis.Ticks.Select(t => t.Label));
        Assert.True(axis.Min < 1e-5 && axis.Max > 1e-1, "the data keeps a margin from the frame");
        Assert.Equal(0.5, axis.Fraction(1e-3), 9);
    }

    [Fact]
    public void Log_axis_within_one_decade_labels_intermediate_values()
    {
        var axis = LinePlot.Axis.Log(0.002, 0.004);

        // Narrow ranges widen to half a decade, which holds 2e-3 and 5e-3 but no whole decade.
        Assert.Equal(["2e-3", "5e-3"], axis.Ticks.Select(t => t.Label));
        Assert.Contains(3e-3, axis.MinorTicks.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Linear_axis_uses_round_steps_and_snaps_when_asked()
    {
        var x = LinePlot.Axis.Linear(10, 1000, snap: true);
        var y = LinePlot.Axis.Linear(0.3, 2.25);

        Assert.Equal(["0", "200", "400", "600", "800", "1000"], x.Ticks.Select(t => t.Label));
        Assert.Equal((0, 1000), (x.Min, x.Max));
        Assert.True(y.Min < 0.3 && y.Max > 2.25);
        Assert.Equal(["0.5", "1", "1.5", "2"], y.Ticks.Select(t => t.Label));
    }

    [Fact]
    public void Constant_series_gets_a_non_empty_range()
    {
        var axis = LinePlot.Axis.Linear(0.01, 0.01);

        Assert.True(axis.Max > axis.Min);
        Assert.Contains(axis.Ticks, t => Math.Abs(t.Value - 0.01) < 1e-12);
    }

    [Fact]
    public void Line_is_drawn_in_its_colour_and_non_finite_points_are_skipped()
    {
        var path = Path.Combine(directory, "plot.png");
        new LinePlot("title", "x", "y") { LogY = true }
            .Add("rate", [(0, 1e-3), (1, double.NaN), (2, 0), (3, 1e-2), (4, 1e-2)])
            .SavePng(path, 800, 500);

        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal((800, 500), (bitmap.Width, bitmap.Height));
        var firstColour = new SKColor(0x1f, 0x77, 0xb4);
        var coloured = 0;
        for (var x = 0; x < bitmap.Width; x++)
            for (var y = 0; y < bitmap.Height; y++)
                if (bitmap.GetPixel(x, y) == firstColour) coloured++;
        Assert.True(coloured > 200, $"only {coloured} pixels of the series colour");
    }
}
