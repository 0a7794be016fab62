using Alrs.Learning.Baselines;

namespace Alrs.Learning.Tests.Baselines;

public class ScheduleTests
{
    static double[] First(ILearningRateSchedule schedule, int count) => Enumerable.Range(0, count).Select(schedule.At).ToArray();

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
    public void Default_grid_has_4_constants_48_step_decays_and_4_cosines_with_unique_names()
    {
        var grid = new BaselineGrid();
        var all = grid.All(1000, 1e-5);
        Assert.Equal(4, grid.Constants().Count());
        Assert.Equal(48, grid.StepDecays().Count());
        Assert.Equal(56, all.Count);
        Assert.Equal(all.Count, all.Select(s => s.Name).Distinct().Count());
        Assert.Contains(all, s => s.Name == "step-decay(lr=0.0001,every=100,factor=0.88)");
    }
}
