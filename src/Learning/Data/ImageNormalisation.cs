using static TorchSharp.torch;

namespace Alrs.Learning.Data;

/// <summary>
/// Turns raw bytes into an <see cref="ImageSet"/>: pixels scaled to [0, 1], then normalised
/// per channel as (x - mean) / std. Decodes in bulk through a 256-entry table per channel
/// into one float[] and makes one tensor, which keeps loading all of MNIST near a second.
/// </summary>
public static class ImageNormalisation
{
    /// <summary>Builds the tensors for the images of <paramref name="raw"/> at <paramref name="indices"/>, in that order.</summary>
    public static ImageSet ToImageSet(RawImages raw, IReadOnlyList<int> indices, float[] mean, float[] std)
    {
        if (mean.Length != raw.Channels || std.Length != raw.Channels)
            throw new ArgumentException($"normalisation has {mean.Length} means and {std.Length} stds for {raw.Channels} channels");

        var planeSize = raw.Height * raw.Width;
        var perImage = raw.PixelsPerImage;
        var tables = Enumerable.Range(0, raw.Channels).Select(c => Table(mean[c], std[c])).ToArray();
        var pixels = new float[(long)indices.Count * perImage];
        var labels = new long[indices.Count];

        for (var n = 0; n < indices.Count; n++)
        {
            var source = raw.Pixels.AsSpan(indices[n] * perImage, perImage);
            var target = pixels.AsSpan(n * perImage, perImage);
            for (var c = 0; c < raw.Channels; c++)
            {
                var table = tables[c];
                var offset = c * planeSize;
                for (var p = offset; p < offset + planeSize; p++) target[p] = table[source[p]];
            }
            labels[n] = raw.Labels[indices[n]];
        }

        var images = tensor(pixels, [indices.Count, raw.Channels, raw.Height, raw.Width]);
        return new ImageSet(images, tensor(labels));
    }

    /// <summary>The samples of <paramref name="samples"/> at <paramref name="indices"/>, in that order, normalised per channel.</summary>
    public static ImageSet ToImageSet(LabelledSamples samples, IReadOnlyList<int> indices, ChannelNormalisation normalisation)
    {
        if (normalisation.Mean.Length != samples.Channels || normalisation.Std.Length != samples.Channels)
            throw new ArgumentException($"normalisation has {normalisation.Mean.Length} means and {normalisation.Std.Length} stds for {samples.Channels} channels");

        var plane = samples.Height * samples.Width;
        var perSample = samples.ValuesPerSample;
        var values = new float[(long)indices.Count * perSample];
        var labels = new long[indices.Count];
        for (var n = 0; n < indices.Count; n++)
        {
            var source = samples.Values.AsSpan(indices[n] * perSample, perSample);
            var target = values.AsSpan(n * perSample, perSample);
            for (var c = 0; c < samples.Channels; c++)
            {
                var (mean, std) = (normalisation.Mean[c], normalisation.Std[c]);
                for (var p = c * plane; p < (c + 1) * plane; p++) target[p] = (source[p] - mean) / std;
            }
            labels[n] = samples.Labels[indices[n]];
        }
        return new ImageSet(tensor(values, [indices.Count, samples.Channels, samples.Height, samples.Width]), tensor(labels));
    }

    static float[] Table(float mean, float std)
    {
        var table = new float[256];
        for (var b = 0; b < table.Length; b++) table[b] = (b / 255f - mean) / std;
        return table;
    }
}
