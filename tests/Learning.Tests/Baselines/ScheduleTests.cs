using Alrs.Learning.Baselines;
using Alrs.Learning.Environments;

namespace Alrs.Learning.Tests.Baselines;

public class ScheduleTests
{
    static double[] First(IFixedSchedule schedule, int count) => Enumerable.Range(0, count).Select(schedule.At).ToArray();

    [Fact]
    public void Constant_schedule_never_changes()
    {
        Assert.Equal([0.1, 0.1, 0.1, 0.1], First(new ConstantSchedule(0.1), 4));
    }

    [Fact]
    public void Step_decay_multiplies_by_the_factor_every_interval()
    {
        // 0.1·0.5^⌊t/2⌋ for t = 0..6
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125], First(new StepDecaySchedule(0.1, 2, 0.5), 7));
        var grid = new StepDecaySchedule(1e-2, 10, 0.9);
        Assert.Equal(1e-2, grid.At(9));
        Assert.Equal(1e-2 * 0.9, grid.At(10), 15);
        Assert.Equal(1e-2 * Math.Pow(0.9, 99), grid.At(999), 15);
    }

    [Fact]
    public void Cosine_annealing_falls_from_initial_to_minimum_over_the_episode()
    {
        // min + (1 − min)(1 + cos(πt/4))/2 with min = 0: 1, (1 + √½)/2, ½, (1 − √½)/2, 0
        var expected = new[] { 1, (1 + Math.Sqrt(0.5)) / 2, 0.5, (1 - Math.Sqrt(0.5)) / 2, 0 };
        var actual = First(new CosineAnnealingSchedule(1, 4, 0), 5);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
        var bounded = new CosineAnnealingSchedule(1e-2, 100, 1e-5);
        Assert.Equal(1e-2, bounded.At(0), 15);
        Assert.Equal(1e-5 + (1e-2 - 1e-5) / 2, bounded.At(50), 15);
        Assert.Equal(1e-5, bounded.At(100), 15);
    }

    [Fact]
    public void Default_grid_has_every_family_with_unique_names()
    {
        var grid = new BaselineGrid();
        var all = grid.All(new EnvironmentSettings { Steps = 1000 });
        Assert.Equal(4, grid.Constants().Count());
        Assert.Equal(48, grid.StepDecays().Count());
        // 4 constants, 48 step decays, 4 cosines, 4 × 3 × 2 knees, 4 × 3 hypergradients, 4 + 4 probe tuners = 100.
        Assert.Equal(100, all.Count);
        Assert.Equal(BaselineGrid.AllFamilies, all.Select(s => s.Family).Distinct());
        Assert.Equal(12, all.Count(s => s is HypergradientSchedule { Beta: 1e-8 or 1e-7 or 1e-6 }));
        Assert.Equal(12, grid.All(new EnvironmentSettings { Optimizer = ChildOptimizer.Sgd }).Count(s => s is HypergradientSchedule { Beta: 1e-4 or 1e-3 or 1e-2 }));
        Assert.Equal(56, (grid with { Families = ["constant", "step-decay", "cosine"] }).All(new EnvironmentSettings()).Count);
        Assert.Equal(all.Count, all.Select(s => s.Name).Distinct().Count());
        Assert.Contains(all, s => s.Name == "step-decay(lr=0.0001,every=100,factor=0.88)");
    }

    [Fact]
    public void Knee_warms_up_holds_the_peak_for_the_explore_fraction_then_decays_linearly_to_the_floor()
    {
        // T = 10, no warm-up, explore 0.5: D = 5; steps 5..9 fall linearly from 1 to 0 over 4 intervals.
        Assert.Equal([1, 1, 1, 1, 1, 1, 0.75, 0.5, 0.25, 0], First(new KneeSchedule(1, 10, 0.5, 0, 0), 10));
        // T = 20, warm-up 0.2 (W = 4: 1/4, 2/4, 3/4, 1), explore 0.5 (D = 10), floor 0.1 reached at step 19.
        var warm = First(new KneeSchedule(1, 20, 0.5, 0.2, 0.1), 21);
        double[] expected =
        [
            0.25, 0.5, 0.75, 1, 1, 1, 1, 1, 1, 1,
            .. Enumerable.Range(10, 10).Select(t => 0.1 + 0.9 * (19 - t) / 9.0),
            0.1,
        ];
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], warm[i], 15);
        // The reference grid's shape: 1000 steps from 1e-2, explore 0.3, warm-up 0.05.
        var grid = new KneeSchedule(1e-2, 1000, 0.3, 0.05, 1e-5);
        Assert.Equal((50, 300), (grid.WarmupSteps, grid.DecayStart));
        Assert.Equal(1e-2 / 50, grid.At(0), 15);
        Assert.Equal(1e-2, grid.At(49), 15);
        Assert.Equal(1e-2, grid.At(299), 15);
        Assert.Equal(1e-2, grid.At(300), 15);
        Assert.Equal(1e-5 + (1e-2 - 1e-5) * 350 / 699, grid.At(649), 15);
        Assert.Equal(1e-5, grid.At(999), 15);
        Assert.Equal("knee(lr=0.01,explore=0.3,warmup=0.05,min=1E-05)", grid.Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KneeSchedule(1, 10, 0.3, 0.5, 0));
    }
}
