using Alrs.Learning.Baselines;
using Optimizer = TorchSharp.torch.optim.Optimizer;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Alrs.Schedules;

/// <summary>
/// A hand-designed schedule of Alrs.Learning's baselines (knee, cosine, step decay, constant)
/// as a TorchSharp <see cref="LRScheduler"/>: the rate of child step k is
/// <see cref="IFixedSchedule.At"/>(k), the rate <c>alrs baselines</c> gives that step. Like
/// TorchSharp's schedulers it sets step 0's rate at construction and the next step's at each
/// <c>step()</c>; <c>step(loss)</c> is accepted and the loss ignored, so a loop written for a
/// <see cref="LearnedSchedule"/> runs a hand schedule unchanged.
/// </summary>
public sealed class HandSchedule : LRScheduler
{
    readonly Optimizer _optimizer;
    int _next = -1;

    public HandSchedule(Optimizer optimizer, IFixedSchedule schedule) : base(optimizer)
    {
        _optimizer = optimizer;
        Schedule = schedule;
        step();
    }

    /// <summary>The Alrs.Learning schedule followed (its Name says its parameters).</summary>
    public IFixedSchedule Schedule { get; }

    /// <summary>The rate the optimizer has now.</summary>
    public double LearningRate => Schedule.At(_next);

    public override void step(int? epoch)
    {
        _next = epoch ?? _next + 1;
        base.step(epoch);
    }

    protected override IEnumerable<double> get_lr() => _optimizer.ParamGroups.Select(_ => Schedule.At(_next));
}
