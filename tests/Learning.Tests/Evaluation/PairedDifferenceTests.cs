using Alrs.Learning.Evaluation;

namespace Alrs.Learning.Tests.Evaluation;

public class PairedDifferenceTests
{
    [Fact]
    public void The_interval_is_the_t_interval_of_the_per_seed_differences()
    {
        // Differences learned − baseline: -0.01, -0.02, -0.03 (mean -0.02, std 0.01, t(2, 0.975) = 4.302653).
        var learned = new[] { (0, 0.10), (1, 0.20), (2, 0.30) };
        var baseline = new[] { (2, 0.33), (0, 0.11), (1, 0.22) };
        var paired = PairedDifference.Of(learned, baseline)!;

        Assert.Equal(3, paired.Seeds);
        Assert.Equal(-0.02, paired.Mean, 12);
        var half = 4.302652729911275 * 0.01 / Math.Sqrt(3);
        Assert.Equal(-0.02 - half, paired.Low, 9);
        Assert.Equal(-0.02 + half, paired.High, 9);
        Assert.Equal("within noise", paired.Verdict);
    }

    [Fact]
    public void Pairing_sees_through_a_spread_that_both_share()
    {
        // Seeds differ by far more than the schedules do, but the learned one is lower on every seed.
        var baseline = new[] { (0, 0.5), (1, 0.1), (2, 0.9), (3, 0.3), (4, 0.7) };
        var learned = baseline.Select((b, i) => (b.Item1, b.Item2 - 0.01 - 0.001 * i)).ToArray();
        Assert.Equal("ahead", PairedDifference.Of(learned, baseline)!.Verdict);
        Assert.Equal("behind", PairedDifference.Of(baseline, learned)!.Verdict);
    }

    [Fact]
    public void Unpaired_seeds_are_left_out_and_one_pair_gives_no_interval()
    {
        Assert.Null(PairedDifference.Of([(0, 0.1), (1, 0.2)], [(1, 0.3), (2, 0.4)]));
        Assert.Equal(2, PairedDifference.Of([(0, 0.1), (1, 0.2), (5, 9.0)], [(0, 0.2), (1, 0.4)])!.Seeds);
    }
}
