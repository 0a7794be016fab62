using Alrs.Learning.Evaluation;
using MathNet.Numerics.Distributions;

namespace Alrs.Learning.Tests.Evaluation;

public class MedianIntervalTests
{
    [Theory]
    // n, k, coverage 1 − 2 P(B ≤ k − 1) for B ~ Binomial(n, ½), from the exact binomial sums.
    [InlineData(6, 1, 1 - 2.0 / 64)]
    [InlineData(10, 2, 1 - 2 * 11.0 / 1024)]
    [InlineData(16, 4, 1 - 2 * 697.0 / 65536)]
    [InlineData(20, 6, 1 - 2 * 21700.0 / 1048576)]
    public void The_ranks_are_the_widest_that_keep_95_percent(int n, int k, double coverage)
    {
        Assert.Equal(k, MedianInterval.LowerRank(n));
        Assert.Equal(coverage, MedianInterval.CoverageOf(n, k), 12);
        Assert.True(MedianInterval.CoverageOf(n, k + 1) < 0.95);
    }

    [Fact]
    public void The_interval_is_the_kth_value_from_each_end_of_the_sorted_sample()
    {
        // 1..10 shuffled: n = 10 gives k = 2, so [x(2), x(9)] = [2, 9]; the median is 5.5.
        var interval = MedianInterval.Of([7, 3, 10, 1, 5, 9, 2, 8, 6, 4]);

        Assert.Equal(10, interval.Count);
        Assert.Equal(5.5, interval.Median);
        Assert.Equal(2, interval.Low);
        Assert.Equal(9, interval.High);
        Assert.Equal(0.978515625, interval.Coverage, 12);
    }

    [Fact]
    public void Outliers_move_the_interval_by_ranks_not_by_their_size()
    {
        var calm = MedianInterval.Of([0.98, 0.99, 1.00, 1.01, 1.02, 0.97, 1.03, 0.99, 1.00, 1.01]);
        var hit = MedianInterval.Of([0.98, 0.99, 1.00, 1.01, 1.02, 0.97, 1.03, 0.99, 1.00, 0.10]);

        Assert.Equal(calm.High, hit.High);
        Assert.Equal(0.97, hit.Low); // one rank down: x(2) of the hit sample
    }

    [Fact]
    public void Fewer_than_six_values_give_no_interval_and_no_verdict()
    {
        var interval = MedianInterval.Of([1.0, 1.1, 1.2, 1.3, 1.4]);

        Assert.Equal(1.2, interval.Median);
        Assert.Equal(double.NegativeInfinity, interval.Low);
        Assert.Equal(double.PositiveInfinity, interval.High);
        Assert.Equal("undecided", interval.Against(0.97));
        Assert.Equal(6, MedianInterval.LowerRankMinimum);
    }

    [Theory]
    [InlineData(new[] { 0.98, 0.99, 1.00, 1.01, 1.02, 0.975 }, "met")]
    [InlineData(new[] { 0.90, 0.91, 0.92, 0.93, 0.94, 0.969 }, "refuted")]
    [InlineData(new[] { 0.95, 0.96, 0.97, 0.98, 0.99, 1.00 }, "undecided")]
    public void The_verdict_needs_the_whole_interval_on_one_side_of_the_target(double[] ratios, string verdict)
    {
        Assert.Equal(verdict, MedianInterval.Of(ratios).Against(0.97));
    }

    [Fact]
    public void The_interval_covers_the_true_median_as_often_as_it_says()
    {
        // 4000 samples of 20 uniform values (true median ½): the interval [x(6), x(15)] should hold ½ in 95.86 % of them.
        var random = new Random(23);
        var covered = 0;
        const int trials = 4000;
        for (var t = 0; t < trials; t++)
        {
            var interval = MedianInterval.Of(Enumerable.Range(0, 20).Select(_ => random.NextDouble()));
            if (interval.Low <= 0.5 && 0.5 <= interval.High) covered++;
        }
        // Binomial standard error at 4000 trials ≈ 0.3 %: ±1 % is more than 3 of them.
        Assert.InRange(covered / (double)trials, 0.9486, 0.9686);
    }

    [Fact]
    public void The_robust_spread_is_the_scaled_median_absolute_deviation()
    {
        // Median 5; absolute deviations 4,3,2,1,0,1,2,3,4 have median 2; the outlier 1000 replaces a 9 and changes nothing.
        Assert.Equal(1.4826 * 2, MedianInterval.RobustSpread([1, 2, 3, 4, 5, 6, 7, 8, 9]), 12);
        Assert.Equal(1.4826 * 2, MedianInterval.RobustSpread([1, 2, 3, 4, 5, 6, 7, 8, 1000]), 12);
    }

    [Fact]
    public void The_count_for_a_width_is_z_sigma_root_two_pi_over_the_width_squared()
    {
        // σ = 1.4826 × 2 (above); width 1: n = (1.959964 × 2.9652 × 2.506628)² = 212.2 → 213.
        var n = MedianInterval.CountForWidth([1, 2, 3, 4, 5, 6, 7, 8, 9], 1.0);
        var expected = Math.Pow(1.959963984540054 * 1.4826 * 2 * Math.Sqrt(2 * Math.PI), 2);
        Assert.Equal((int)Math.Ceiling(expected), n);
        Assert.Equal(213, n);
        Assert.Equal(0, MedianInterval.CountForWidth([1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 0.03));
    }

    [Fact]
    public void That_many_values_do_give_an_interval_about_that_wide()
    {
        // Pair ratios spread like N(1, 0.05): the estimate says how many make the 95 % interval 0.03 wide; samples of that size should.
        var random = new Random(7);
        var pilot = Normal.Samples(random, 1.0, 0.05).Take(400).ToArray();
        var n = MedianInterval.CountForWidth(pilot, 0.03);
        Assert.InRange(n, 55, 80); // (1.96 × 0.05 × 2.5066 / 0.03)² = 67.

        var widths = Enumerable.Range(0, 300).Select(_ =>
        {
            var interval = MedianInterval.Of(Normal.Samples(random, 1.0, 0.05).Take(n));
            return interval.High - interval.Low;
        }).ToArray();
        Assert.InRange(widths.Average(), 0.026, 0.034);
    }
}
