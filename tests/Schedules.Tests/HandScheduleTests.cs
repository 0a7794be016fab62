using Alrs.Learning.Baselines;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Alrs.Schedules.Tests;

public sealed class HandScheduleTests
{
    /// <summary>The rate the optimizer holds at each of <paramref name="steps"/> steps, the schedule stepped with a loss after each as a learned one is.</summary>
    static List<double> RatesOver(int steps, optim.Optimizer optimizer, LRScheduler schedule)
    {
        var rates = new List<double>();
        for (var step = 0; step < steps; step++)
        {
            rates.Add(optimizer.ParamGroups.Single().LearningRate);
            schedule.step(0.5);
        }
        return rates;
    }

    static optim.Optimizer Adam(double rate) => optim.Adam(nn.Linear(4, 2).parameters(), rate);

    [Fact]
    public void Each_hand_schedule_gives_step_k_the_rate_alrs_baselines_gives_it()
    {
        var cases = new (Func<optim.Optimizer, HandSchedule> Make, IFixedSchedule Expected)[]
        {
            (o => Schedule.Knee(o, steps: 100, explore: 0.3, warmup: 0.05), new KneeSchedule(0.01, 100, 0.3, 0.05, 1e-5)),
            (o => Schedule.Cosine(o, steps: 100), new CosineAnnealingSchedule(0.01, 100, 1e-5)),
            (o => Schedule.StepDecay(o, every: 20, factor: 0.5), new StepDecaySchedule(0.01, 20, 0.5)),
            (o => Schedule.Constant(o), new ConstantSchedule(0.01)),
        };
        foreach (var (make, expected) in cases)
        {
            using var optimizer = Adam(0.01);
            var schedule = make(optimizer);

            Assert.Equal(expected.Name, schedule.Schedule.Name);
            Assert.Equal(Enumerable.Range(0, 100).Select(expected.At), RatesOver(100, optimizer, schedule));
        }
    }

    [Fact]
    public void A_hand_schedule_also_follows_torchsharps_plain_step()
    {
        using var optimizer = Adam(0.1);
        var schedule = Schedule.StepDecay(optimizer, every: 2, factor: 0.5);
        schedule.step();
        schedule.step();
        Assert.Equal(0.05, optimizer.ParamGroups.Single().LearningRate, 12);
        Assert.Equal(0.05, schedule.get_last_lr().Single(), 12);
    }
}
