namespace Alrs.Learning.Data;

/// <summary>
/// Samples as read from a data set of one's own, before normalisation: <see cref="Values"/>
/// laid out (N, C, H, W) — pixels scaled to [0, 1], CSV features as written, one channel per
/// feature (N, F, 1, 1) so that normalising per channel standardises every feature —
/// and one class label per sample.
/// </summary>
public sealed record LabelledSamples(int Count, int Channels, int Height, int Width, float[] Values, int[] Labels)
{
    public int ValuesPerSample => Channels * Height * Width;

    /// <summary>Bytes of a stored image set, scaled to [0, 1].</summary>
    public static LabelledSamples FromRaw(RawImages raw)
    {
        var values = new float[raw.Pixels.LongLength];
        for (long i = 0; i < values.LongLength; i++) values[i] = raw.Pixels[i] / 255f;
        return new LabelledSamples(raw.Count, raw.Channels, raw.Height, raw.Width, values, [.. raw.Labels.Select(l => (int)l)]);
    }
}
