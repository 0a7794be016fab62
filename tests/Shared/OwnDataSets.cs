using System.Globalization;
using System.Text;
using SkiaSharp;

namespace Alrs.Tests.Shared;

/// <summary>
/// Small data sets of one's own that the tests make themselves: a CSV whose class follows a
/// learnable rule, and an image folder of shapes drawn with SkiaSharp.
/// </summary>
public static class OwnDataSets
{
    public const string CsvHeader = "width,height,weight,label";

    /// <summary>
    /// <paramref name="samples"/> rows of three features on very different scales and a label in
    /// {0, 1, 2}: which of width, height and weight / 100 is largest. A network learns it only
    /// after the features are standardised, so it also exercises the measured normalisation.
    /// </summary>
    public static string WriteCsv(string path, int samples = 240, int seed = 7)
    {
        var random = new Random(seed);
        var text = new StringBuilder(CsvHeader).Append('\n');
        for (var i = 0; i < samples; i++)
        {
            double width = random.NextDouble(), height = random.NextDouble(), weight = 100 * random.NextDouble();
            var label = width > height && width > weight / 100 ? 0 : height > weight / 100 ? 1 : 2;
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{width:F4},{height:F4},{weight:F2},{label}\n"));
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    public static readonly string[] ShapeClasses = ["circle", "cross", "square"];

    /// <summary>
    /// A folder with one sub-folder per shape (<see cref="ShapeClasses"/>), each with
    /// <paramref name="perClass"/> <paramref name="size"/>-pixel images of that shape in a random
    /// colour, place and size on a grey ground; every third image a JPEG, the others PNG.
    /// </summary>
    public static string WriteShapes(string directory, int perClass = 24, int size = 16, int seed = 11)
    {
        var random = new Random(seed);
        foreach (var shape in ShapeClasses)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, shape)).FullName;
            for (var i = 0; i < perClass; i++)
            {
                using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
                var canvas = surface.Canvas;
                canvas.Clear(new SKColor(128, 128, 128));
                using var paint = new SKPaint
                {
                    Color = new SKColor((byte)random.Next(256), (byte)random.Next(100), (byte)random.Next(256)),
                    IsAntialias = true,
                    StrokeWidth = Math.Max(1, size / 8f),
                };
                var radius = size * (0.2f + 0.15f * (float)random.NextDouble());
                var cx = size / 2f + (float)(random.NextDouble() - 0.5) * size * 0.2f;
                var cy = size / 2f + (float)(random.NextDouble() - 0.5) * size * 0.2f;
                switch (shape)
                {
                    case "circle":
                        canvas.DrawCircle(cx, cy, radius, paint);
                        break;
                    case "square":
                        canvas.DrawRect(cx - radius, cy - radius, 2 * radius, 2 * radius, paint);
                        break;
                    default:
                        canvas.DrawLine(cx - radius, cy - radius, cx + radius, cy + radius, paint);
                        canvas.DrawLine(cx - radius, cy + radius, cx + radius, cy - radius, paint);
                        break;
                }
                using var image = surface.Snapshot();
                var jpeg = i % 3 == 2;
                using var encoded = image.Encode(jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 95);
                File.WriteAllBytes(Path.Combine(folder, $"{shape}-{i:D3}.{(jpeg ? "jpg" : "png")}"), encoded.ToArray());
            }
        }
        return directory;
    }
}
