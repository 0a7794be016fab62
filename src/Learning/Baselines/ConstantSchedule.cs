using System.Globalization;

namespace Alrs.Learning.Baselines;

/// <summary>lr_t = rate.</summary>
public sealed record ConstantSchedule(double Rate) : IFixedSchedule
{
    public string Family => "constant";
    public string Name => string.Create(CultureInfo.InvariantCulture, $"constant(lr={Rate:G})");
    public double At(int step) => Rate;
}
