namespace Alrs.Learning.Data;

/// <summary>
/// Images and labels as stored on disk: one byte per pixel value, <see cref="Pixels"/> laid
/// out (N, C, H, W); <see cref="Labels"/> one byte per image in [0, 10).
/// </summary>
public sealed record RawImages(int Count, int Channels, int Height, int Width, byte[] Pixels, byte[] Labels)
{
    public int PixelsPerImage => Channels * Height * Width;

    /// <summary>Concatenates sets of equal image shape, in order (e.g. the five CIFAR-10 training batches).</summary>
    public static RawImages Concat(IReadOnlyList<RawImages> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(parts));
        var first = parts[0];
        if (parts.Any(p => p.Channels != first.Channels || p.Height != first.Height || p.Width != first.Width))
            throw new ArgumentException("image shapes differ", nameof(parts));
        if (parts.Count == 1) return first;
        var count = parts.Sum(p => p.Count);
        var pixels = new byte[(long)count * first.PixelsPerImage];
        var labels = new byte[count];
        int image = 0;
        foreach (var part in parts)
        {
            part.Pixels.CopyTo(pixels, (long)image * first.PixelsPerImage);
            part.Labels.CopyTo(labels, image);
            image += part.Count;
        }
        return new RawImages(count, first.Channels, first.Height, first.Width, pixels, labels);
    }
}
