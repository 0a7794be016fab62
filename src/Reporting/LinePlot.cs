using System.Globalization;
using SkiaSharp;

namespace Alrs.Reporting;

/// <summary>One named line of a <see cref="LinePlot"/>.</summary>
public sealed record PlotSeries(string Label, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A line chart rendered to PNG: title, labelled axes with ticks and grid, optional log-scale
/// y axis, and a legend below the axes so that it never hides data. Non-finite points (and
/// non-positive ones on a log axis) break the line instead of distorting the scale.
/// </summary>
public sealed class LinePlot(string title, string xLabel, string yLabel)
{
    /// <summary>Tableau's ten colours: distinct, and readable for most colour-blind readers.</summary>
    static readonly SKColor[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28), new(0x94, 0x67, 0xbd),
        new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f), new(0xbc, 0xbd, 0x22), new(0x17, 0xbe, 0xcf),
    ];

    const float TitleSize = 24, LabelSize = 19, TickSize = 16, LegendSize = 17, LineWidth = 2.5f;

    readonly List<PlotSeries> series = [];

    /// <summary>Logarithmic y axis (decades labelled 1e-3, 1e-2, ...).</summary>
    public bool LogY { get; init; }

    /// <summary>Draw a marker at every point (for short series such as returns per version).</summary>
    public bool Markers { get; init; }

    public IReadOnlyList<PlotSeries> Series => series;

    public LinePlot Add(string label, IEnumerable<(double X, double Y)> points)
    {
        series.Add(new PlotSeries(label, points.ToList()));
        return this;
    }

    /// <summary>Renders to <paramref name="path"/> as a PNG of the given size in pixels.</summary>
    public void SavePng(string path, int width = 1200, int height = 720)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        Draw(surface.Canvas, width, height);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, png.SaveTo);
    }

    bool Plottable(double x, double y) => double.IsFinite(x) && double.IsFinite(y) && (!LogY || y > 0);

    void Draw(SKCanvas canvas, int width, int height)
    {
        canvas.Clear(SKColors.White);
        var typeface = PlotFont.Typeface;
        using var titlePaint = Text(typeface, TitleSize, SKTextAlign.Center);
        using var labelPaint = Text(typeface, LabelSize, SKTextAlign.Center);
        using var tickPaint = Text(typeface, TickSize, SKTextAlign.Right);
        using var legendPaint = Text(typeface, LegendSize, SKTextAlign.Left);

        var points = series.SelectMany(s => s.Points).Where(p => Plottable(p.X, p.Y)).ToList();
        var (xAxis, yAxis) = points.Count == 0
            ? (Axis.Linear(0, 1, snap: true), LogY ? Axis.Log(1e-3, 1) : Axis.Linear(0, 1))
            : (Axis.Linear(points.Min(p => p.X), points.Max(p => p.X), snap: true),
               LogY ? Axis.Log(points.Min(p => p.Y), points.Max(p => p.Y)) : Axis.Linear(points.Min(p => p.Y), points.Max(p => p.Y)));

        // Layout: title on top, legend rows at the bottom, axes in between.
        var legendRows = LegendRows(legendPaint, width - 120);
        var legendHeight = legendRows.Count * (LegendSize + 10) + 10;
        var yTickWidth = yAxis.Ticks.Max(t => tickPaint.MeasureText(t.Label));
        var plot = new SKRect(40 + LabelSize + yTickWidth, 20 + TitleSize + 20, width - 40, height - legendHeight - (TickSize + LabelSize + 40));

        canvas.DrawText(title, width / 2f, 20 + TitleSize, titlePaint);

        using var gridPaint = new SKPaint { Color = new SKColor(0xdd, 0xdd, 0xdd), StrokeWidth = 1, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var minorPaint = new SKPaint { Color = new SKColor(0xf0, 0xf0, 0xf0), StrokeWidth = 1, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var framePaint = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
        float X(double x) => plot.Left + (float)xAxis.Fraction(x) * plot.Width;
        float Y(double y) => plot.Bottom - (float)yAxis.Fraction(y) * plot.Height;

        foreach (var minor in yAxis.MinorTicks) canvas.DrawLine(plot.Left, Y(minor), plot.Right, Y(minor), minorPaint);
        foreach (var tick in yAxis.Ticks)
        {
            canvas.DrawLine(plot.Left, Y(tick.Value), plot.Right, Y(tick.Value), gridPaint);
            canvas.DrawLine(plot.Left - 6, Y(tick.Value), plot.Left, Y(tick.Value), framePaint);
            canvas.DrawText(tick.Label, plot.Left - 10, Y(tick.Value) + TickSize * 0.35f, tickPaint);
        }
        tickPaint.TextAlign = SKTextAlign.Center;
        foreach (var tick in xAxis.Ticks)
        {
            canvas.DrawLine(X(tick.Value), plot.Top, X(tick.Value), plot.Bottom, gridPaint);
            canvas.DrawLine(X(tick.Value), plot.Bottom, X(tick.Value), plot.Bottom + 6, framePaint);
            canvas.DrawText(tick.Label, X(tick.Value), plot.Bottom + 10 + TickSize, tickPaint);
        }
        canvas.DrawRect(plot, framePaint);
        canvas.DrawText(xLabel, plot.MidX, plot.Bottom + 10 + TickSize + 12 + LabelSize, labelPaint);
        canvas.Save();
        canvas.RotateDegrees(-90, 20 + LabelSize, plot.MidY);
        canvas.DrawText(yLabel + (LogY ? " (log scale)" : ""), 20 + LabelSize, plot.MidY, labelPaint);
        canvas.Restore();

        canvas.Save();
        canvas.ClipRect(plot);
        for (var i = 0; i < series.Count; i++)
        {
            using var linePaint = LinePaint(i);
            using var path = new SKPath();
            var penDown = false;
            foreach (var (x, y) in series[i].Points)
            {
                if (!Plottable(x, y)) { penDown = false; continue; }
                if (penDown) path.LineTo(X(x), Y(y)); else path.MoveTo(X(x), Y(y));
                penDown = true;
            }
            canvas.DrawPath(path, linePaint);
            if (!Markers) continue;
            using var markerPaint = Fill(linePaint);
            foreach (var (x, y) in series[i].Points.Where(p => Plottable(p.X, p.Y)))
                canvas.DrawCircle(X(x), Y(y), 4.5f, markerPaint);
        }
        canvas.Restore();

        if (points.Count == 0)
        {
            labelPaint.Color = SKColors.Gray;
            canvas.DrawText("no data", plot.MidX, plot.MidY, labelPaint);
        }

        var rowY = height - legendHeight + 10 + LegendSize;
        foreach (var row in legendRows)
        {
            var x = plot.Left;
            foreach (var i in row)
            {
                using var linePaint = LinePaint(i);
                canvas.DrawLine(x, rowY - LegendSize * 0.35f, x + 36, rowY - LegendSize * 0.35f, linePaint);
                canvas.DrawText(series[i].Label, x + 44, rowY, legendPaint);
                x += 44 + legendPaint.MeasureText(series[i].Label) + 30;
            }
            rowY += LegendSize + 10;
        }
    }

    /// <summary>Legend entries (series indices) packed into rows no wider than <paramref name="available"/>.</summary>
    List<List<int>> LegendRows(SKPaint paint, float available)
    {
        var rows = new List<List<int>>();
        var used = float.MaxValue;
        for (var i = 0; i < series.Count; i++)
        {
            var entry = 44 + paint.MeasureText(series[i].Label) + 30;
            if (used + entry > available) { rows.Add([]); used = 0; }
            rows[^1].Add(i);
            used += entry;
        }
        return rows;
    }

    static SKPaint Text(SKTypeface typeface, float size, SKTextAlign align) =>
        new() { Typeface = typeface, TextSize = size, IsAntialias = true, Color = SKColors.Black, TextAlign = align };

    static SKPaint LinePaint(int index) => new()
    {
        Color = Palette[index % Palette.Length], StrokeWidth = LineWidth, IsAntialias = true,
        Style = SKPaintStyle.Stroke, StrokeJoin = SKStrokeJoin.Round, StrokeCap = SKStrokeCap.Round,
    };

    static SKPaint Fill(SKPaint line) => new() { Color = line.Color, IsAntialias = true, Style = SKPaintStyle.Fill };

    /// <summary>A tick: its data value and printed label.</summary>
    internal sealed record Tick(double Value, string Label);

    /// <summary>Maps data values to [0, 1] along an axis and chooses its ticks.</summary>
    internal sealed record Axis(double Min, double Max, bool Logarithmic, IReadOnlyList<Tick> Ticks, IReadOnlyList<double> MinorTicks)
    {
        public double Fraction(double value) => Logarithmic
            ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);

        /// <summary>
        /// Ticks at 1, 2 or 5 times a power of ten, as close to six as that allows. <paramref name="snap"/> widens the
        /// range to whole ticks (for x); otherwise the range is the data's plus a margin, so
        /// that no line runs along the frame.
        /// </summary>
        public static Axis Linear(double min, double max, bool snap = false)
        {
            if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
            {
                var pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
                (min, max) = (min - pad, max + pad);
            }
            else if (!snap)
            {
                var margin = (max - min) * Margin;
                (min, max) = (min - margin, max + margin);
            }
            var rough = (max - min) / 6;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
            var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).MinBy(s => Math.Abs((max - min) / s - 6));
            if (snap) (min, max) = (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step);
            var first = Math.Ceiling(min / step - 1e-9);
            var last = Math.Floor(max / step + 1e-9);
            var ticks = Enumerable.Range(0, (int)(last - first) + 1).Select(i => (first + i) * step)
                .Select(v => new Tick(v, Format(Math.Abs(v) < step * 1e-9 ? 0 : v))).ToList();
            return new Axis(min, max, false, ticks, []);
        }

        /// <summary>
        /// The data's range plus a margin in log space; labelled ticks at whole decades (1e-3),
        /// or also at 2 and 5 times a decade when the range holds fewer than three decades;
        /// minor ticks at 2..9 times each decade.
        /// </summary>
        public static Axis Log(double min, double max)
        {
            var (low, high) = (Math.Log10(min), Math.Log10(max));
            var span = Math.Max(high - low, 0.5);
            var centre = (low + high) / 2;
            (low, high) = (centre - span * (0.5 + Margin), centre + span * (0.5 + Margin));
            var candidates = Enumerable.Range((int)Math.Floor(low), (int)Math.Ceiling(high) - (int)Math.Floor(low) + 1)
                .SelectMany(e => Enumerable.Range(1, 9).Select(m => (Mantissa: m, Exponent: e, Value: m * Math.Pow(10, e))))
                .Where(c => Math.Log10(c.Value) >= low - 1e-9 && Math.Log10(c.Value) <= high + 1e-9).ToList();
            var labelled = candidates.Where(c => c.Mantissa == 1).ToList();
            if (labelled.Count < 3) labelled = candidates.Where(c => c.Mantissa is 1 or 2 or 5).ToList();
            if (labelled.Count < 2) labelled = candidates;
            var ticks = labelled.Select(c => new Tick(c.Value, PowerLabel(c.Mantissa, c.Exponent))).ToList();
            var minor = candidates.Where(c => !labelled.Contains(c)).Select(c => c.Value).ToList();
            return new Axis(Math.Pow(10, low), Math.Pow(10, high), true, ticks, minor);
        }

        /// <summary>Fraction of the data range left free above and below the data.</summary>
        const double Margin = 0.04;

        static string PowerLabel(int mantissa, int exponent) => exponent switch
        {
            >= 0 and <= 3 => (mantissa * Math.Pow(10, exponent)).ToString("0", CultureInfo.InvariantCulture),
            _ => $"{mantissa}e{exponent}",
        };

        static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
    }
}
