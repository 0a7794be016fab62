using MathNet.Numerics.Distributions;

namespace Alrs.Learning.Evaluation;

/// <summary>
/// The learned schedule against a baseline on the same seeds (same child initialisation and data
/// order): the mean per-seed difference learned − baseline of a loss, with a two-sided 95 %
/// Student-t interval over the seeds. Pairing removes the seed-to-seed spread both share, so
/// "ahead" and "behind" are said only when the interval excludes 0.
/// </summary>
public sealed record PairedDifference(int Seeds, double Mean, double Low, double High)
{
    public const double Confidence = 0.95;

    /// <summary>Pairs the two by seed; seeds only one of them ran are left out. Null when fewer than 2 pairs remain.</summary>
    public static PairedDifference? Of(IEnumerable<(int Seed, double Loss)> learned, IEnumerable<(int Seed, double Loss)> baseline)
    {
        var baselineBySeed = baseline.GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.First().Loss);
        var differences = learned.Where(r => baselineBySeed.ContainsKey(r.Seed)).Select(r => r.Loss - baselineBySeed[r.Seed]).ToArray();
        if (differences.Length < 2) return null;
        var mean = differences.Average();
        var std = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Length - 1));
        var halfWidth = StudentT.InvCDF(0, 1, differences.Length - 1, 0.5 + Confidence / 2) * std / Math.Sqrt(differences.Length);
        return new PairedDifference(differences.Length, mean, mean - halfWidth, mean + halfWidth);
    }

    /// <summary>ahead (learned loss lower, interval below 0), behind (interval above 0) or within noise.</summary>
    public string Verdict => High < 0 ? "ahead" : Low > 0 ? "behind" : "within noise";

    public override string ToString() => FormattableString.Invariant($"{Mean:+0.0000;-0.0000} [{Low:+0.0000;-0.0000}, {High:+0.0000;-0.0000}] {Verdict}");
}
