using Alrs.Learning.Ppo;

namespace Alrs.Learning.Tests.Ppo;

public class RunningMeanStdTests
{
    [Fact]
    public void Fresh_statistics_are_mean_zero_variance_one_with_a_tiny_count()
    {
        var stats = new RunningMeanStd(2);

        Assert.Equal([0.0, 0.0], stats.Mean);
        Assert.Equal([1.0, 1.0], stats.Variance);
        Assert.Equal(1e-4, stats.Count);
    }

    [Fact]
    public void First_batch_merges_with_the_prior_by_chans_formula()
    {
        var stats = new RunningMeanStd(1);

        stats.Update([[1f], [3f]]);

        // Batch mean 2, variance 1, n 2; prior mean 0, variance 1, n 1e-4; total 2.0001:
        // mean = 2·2/2.0001; M2 = 1·1e-4 + 1·2 + 2²·1e-4·2/2.0001; variance = M2/2.0001.
        Assert.Equal(1.9999000049997497, stats.Mean[0], 1e-12);
        Assert.Equal(1.0001999800015, stats.Variance[0], 1e-12);
        Assert.Equal(2.0001, stats.Count, 1e-12);
    }

    [Fact]
    public void Merging_two_batches_equals_merging_their_union()
    {
        var random = new Random(1);
        var rows = Enumerable.Range(0, 50).Select(_ => new[] { (float)random.NextDouble() * 4, (float)random.NextDouble() - 3 }).ToArray();
        var split = new RunningMeanStd(2);
        var whole = new RunningMeanStd(2);

        split.Update(rows[..20]);
        split.Update(rows[20..]);
        whole.Update(rows);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(whole.Mean[i], split.Mean[i], 1e-12);
            Assert.Equal(whole.Variance[i], split.Variance[i], 1e-12);
        }
    }

    [Fact]
    public void Many_samples_converge_to_the_population_mean_and_variance()
    {
        var stats = new RunningMeanStd(1);
        for (var batch = 0; batch < 10; batch++) stats.Update([3.0, 5.0, 7.0]); // mean 5, variance 8/3

        Assert.Equal(5, stats.Mean[0], 1e-3);
        Assert.Equal(8.0 / 3, stats.Variance[0], 1e-3);
    }

    [Fact]
    public void Normalize_standardises_and_clips_without_changing_the_statistics()
    {
        var stats = new RunningMeanStd([1.0], [4.0], 10);

        Assert.Equal([1.5f], stats.Normalize([4f], clip: 10), new FloatTolerance(1e-6f));
        Assert.Equal([10f], stats.Normalize([1000f], clip: 10));
        Assert.Equal([-2f], stats.Normalize([-1000f], clip: 2));
        Assert.Equal(10, stats.Count);
    }

    sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
