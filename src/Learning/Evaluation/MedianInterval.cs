using MathNet.Numerics.Distributions;

namespace Alrs.Learning.Evaluation;

/// <summary>
/// The median of a sample with a distribution-free confidence interval from its order
/// statistics: with the values sorted x(1) ≤ … ≤ x(n), the interval [x(k), x(n+1−k)] holds the
/// true median with probability 1 − 2 P(B ≤ k − 1), B ~ Binomial(n, ½), whatever the
/// distribution (continuous); k is the largest rank that keeps that at least
/// <see cref="Confidence"/>. No normality is assumed, so a few outliers (a window that
/// another process's burst hit) widen it by a rank at most. Below the smallest n that allows
/// such an interval (6 at 95 %) the interval is the whole line: nothing is decided.
/// </summary>
public sealed record MedianInterval(int Count, double Median, double Low, double High, double Coverage)
{
    public const double Confidence = 0.95;

    public static MedianInterval Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        if (n == 0) throw new ArgumentException("the median of nothing", nameof(values));
        if (sorted.Any(double.IsNaN)) throw new ArgumentException("a value is NaN", nameof(values));
        var middle = n / 2;
        var median = n % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        var k = LowerRank(n);
        if (k == 0) return new MedianInterval(n, median, double.NegativeInfinity, double.PositiveInfinity, 1.0);
        return new MedianInterval(n, median, sorted[k - 1], sorted[n - k], CoverageOf(n, k));
    }

    /// <summary>The largest rank k (1-based) whose interval [x(k), x(n+1−k)] covers the median with at least <see cref="Confidence"/>; 0 when none does.</summary>
    public static int LowerRank(int n)
    {
        var k = 0;
        while (k + 1 <= (n + 1) / 2 && CoverageOf(n, k + 1) >= Confidence) k++;
        return k;
    }

    /// <summary>1 − 2 P(B ≤ k − 1), B ~ Binomial(n, ½): the coverage of [x(k), x(n+1−k)].</summary>
    public static double CoverageOf(int n, int k) => 1 - 2 * Binomial.CDF(0.5, n, k - 1);

    /// <summary>
    /// Verdict of "the median is at least <paramref name="target"/>": met when the whole
    /// interval is at or above it, refuted when the whole interval is below it, else undecided.
    /// </summary>
    public string Against(double target) => Low >= target ? "met" : High < target ? "refuted" : "undecided";

    /// <summary>
    /// How many values make the interval narrower than <paramref name="width"/>, estimated from
    /// <paramref name="values"/>' spread: for large n the order-statistic interval spans the
    /// quantiles ½ ± z/(2√n), i.e. z·σ·√(2π)/√n for a normal spread σ; σ is taken from the
    /// median absolute deviation (× 1.4826), which outliers do not inflate. 0 when the values
    /// have no spread.
    /// </summary>
    public static int CountForWidth(IEnumerable<double> values, double width)
    {
        if (!(width > 0)) throw new ArgumentOutOfRangeException(nameof(width), width, "the width must be positive");
        var sigma = RobustSpread(values);
        if (sigma == 0) return 0;
        var z = Normal.InvCDF(0, 1, 0.5 + Confidence / 2);
        var perSqrtN = z * sigma * Math.Sqrt(2 * Math.PI);
        return Math.Max(LowerRankMinimum, (int)Math.Ceiling(Math.Pow(perSqrtN / width, 2)));
    }

    /// <summary>1.4826 × the median absolute deviation from the median: the standard deviation for a normal sample.</summary>
    public static double RobustSpread(IEnumerable<double> values)
    {
        var list = values.ToArray();
        var median = Of(list).Median;
        return 1.4826 * Of(list.Select(v => Math.Abs(v - median))).Median;
    }

    /// <summary>The fewest values that allow an interval at <see cref="Confidence"/>.</summary>
    public static int LowerRankMinimum => Enumerable.Range(1, 100).First(n => LowerRank(n) > 0);

    public override string ToString() => double.IsFinite(Low)
        ? FormattableString.Invariant($"{Median:F3} [{Low:F3}, {High:F3}] ({Coverage:P1} order-statistic interval, n={Count})")
        : FormattableString.Invariant($"{Median:F3} (n={Count}: at least {LowerRankMinimum} values give a {Confidence:P0} interval)");
}
