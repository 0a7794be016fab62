using System.Globalization;

namespace Alrs.Learning.Baselines;

/// <summary>lr_t = initial · factor^⌊t / every⌋.</summary>
public sealed record StepDecaySchedule : IFixedSchedule
{
    public StepDecaySchedule(double initial, int every, double factor)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, "step decay interval must be positive");
        (Initial, Every, Factor) = (initial, every, factor);
    }

    public double Initial { get; }
    public int Every { get; }
    public double Factor { get; }

    public string Family => "step-decay";
    public string Name => string.Create(CultureInfo.InvariantCulture, $"step-decay(lr={Initial:G},every={Every},factor={Factor:G})");
    public double At(int step) => Initial * Math.Pow(Factor, step / Every);
}
