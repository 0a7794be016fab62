namespace Alrs.Learning.Ppo;

/// <summary>
/// Running per-feature mean and (population) variance, merged batch by batch with Chan et
/// al.'s parallel formula. Starts at mean 0, variance 1 and a count of 1e-4, as SB3's
/// RunningMeanStd does, so the first batch dominates without dividing by zero.
/// </summary>
public sealed class RunningMeanStd
{
    /// <summary>The initial pseudo-count (SB3's epsilon).</summary>
    public const double InitialCount = 1e-4;

    readonly double[] _mean, _variance;

    public RunningMeanStd(int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "at least one feature");
        _mean = new double[size];
        _variance = Enumerable.Repeat(1.0, size).ToArray();
        Count = InitialCount;
    }

    /// <summary>Restores saved statistics (from a policy blob).</summary>
    public RunningMeanStd(double[] mean, double[] variance, double count)
    {
        if (mean.Length != variance.Length || mean.Length == 0)
            throw new ArgumentException($"mean ({mean.Length}) and variance ({variance.Length}) must have the same positive length");
        _mean = (double[])mean.Clone();
        _variance = (double[])variance.Clone();
        Count = count;
    }

    public int Size => _mean.Length;

    /// <summary>An independent copy (later updates of either leave the other unchanged).</summary>
    public RunningMeanStd Copy() => new(_mean, _variance, Count);
    public double Count { get; private set; }
    public IReadOnlyList<double> Mean => _mean;
    public IReadOnlyList<double> Variance => _variance;

    /// <summary>Folds a batch of rows (each of <see cref="Size"/> values) into the statistics.</summary>
    public void Update(IReadOnlyList<float[]> rows)
    {
        if (rows.Count == 0) return;
        var n = rows.Count;
        var batchMean = new double[Size];
        var batchVariance = new double[Size];
        foreach (var row in rows)
        {
            if (row.Length != Size) throw new ArgumentException($"a row has {row.Length} values, expected {Size}");
            for (var i = 0; i < Size; i++) batchMean[i] += row[i];
        }
        for (var i = 0; i < Size; i++) batchMean[i] /= n;
        foreach (var row in rows)
            for (var i = 0; i < Size; i++) batchVariance[i] += (row[i] - batchMean[i]) * (row[i] - batchMean[i]);
        for (var i = 0; i < Size; i++) batchVariance[i] /= n;
        Merge(batchMean, batchVariance, n);
    }

    /// <summary>Folds a batch of scalars (a one-feature statistic).</summary>
    public void Update(IReadOnlyList<double> values)
    {
        if (Size != 1) throw new InvalidOperationException($"scalar update of a {Size}-feature statistic");
        if (values.Count == 0) return;
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
        Merge([mean], [variance], values.Count);
    }

    /// <summary>Chan et al.: combine (mean, M2, count) of the running and the batch statistics.</summary>
    void Merge(double[] batchMean, double[] batchVariance, int batchCount)
    {
        var total = Count + batchCount;
        for (var i = 0; i < Size; i++)
        {
            var delta = batchMean[i] - _mean[i];
            var m2 = _variance[i] * Count + batchVariance[i] * batchCount + delta * delta * Count * batchCount / total;
            _mean[i] += delta * batchCount / total;
            _variance[i] = m2 / total;
        }
        Count = total;
    }

    /// <summary>(x − mean) / sqrt(var + ε), clipped to ±clip; the statistics are not changed.</summary>
    public float[] Normalize(float[] row, double clip, double epsilon = 1e-8)
    {
        if (row.Length != Size) throw new ArgumentException($"an observation has {row.Length} values, expected {Size}");
        var result = new float[Size];
        for (var i = 0; i < Size; i++)
            result[i] = (float)Math.Clamp((row[i] - _mean[i]) / Math.Sqrt(_variance[i] + epsilon), -clip, clip);
        return result;
    }
}
