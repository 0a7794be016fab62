namespace Alrs.Learning.Data;

/// <summary>
/// Per-channel normalisation constants: every value x of channel c becomes (x − Mean[c]) / Std[c].
/// </summary>
public sealed record ChannelNormalisation(float[] Mean, float[] Std)
{
    /// <summary>
    /// The mean and standard deviation of every channel over the samples at
    /// <paramref name="indices"/> (the training part only, so validation and test stay unseen).
    /// A constant channel gets std 1, so it maps to 0 instead of dividing by zero.
    /// </summary>
    public static ChannelNormalisation Measure(LabelledSamples samples, IReadOnlyList<int> indices)
    {
        var plane = samples.Height * samples.Width;
        var sum = new double[samples.Channels];
        var squares = new double[samples.Channels];
        foreach (var index in indices)
        {
            var sample = samples.Values.AsSpan(index * samples.ValuesPerSample, samples.ValuesPerSample);
            for (var c = 0; c < samples.Channels; c++)
            {
                foreach (var v in sample.Slice(c * plane, plane))
                {
                    sum[c] += v;
                    squares[c] += (double)v * v;
                }
            }
        }
        var count = (double)indices.Count * plane;
        var mean = new float[samples.Channels];
        var std = new float[samples.Channels];
        for (var c = 0; c < samples.Channels; c++)
        {
            var m = sum[c] / count;
            var variance = Math.Max(0, squares[c] / count - m * m);
            mean[c] = (float)m;
            std[c] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return new ChannelNormalisation(mean, std);
    }
}
