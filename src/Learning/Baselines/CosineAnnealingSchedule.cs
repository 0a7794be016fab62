using System.Globalization;

namespace Alrs.Learning.Baselines;

/// <summary>
/// lr_t = min + (initial − min)·(1 + cos(π·t/T))/2 over T = <see cref="TotalSteps"/> steps.
/// The runner passes the environment's lower rate bound (1e-5) as the minimum, so the
/// schedule ends where the controller's range ends rather than at an unreachable 0.
/// </summary>
public sealed record CosineAnnealingSchedule : IFixedSchedule
{
    public CosineAnnealingSchedule(double initial, int totalSteps, double minimum)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "cosine annealing needs a positive step count");
        (Initial, TotalSteps, Minimum) = (initial, totalSteps, minimum);
    }

    public double Initial { get; }
    public int TotalSteps { get; }
    public double Minimum { get; }

    public string Family => "cosine";
    public string Name => string.Create(CultureInfo.InvariantCulture, $"cosine(lr={Initial:G},min={Minimum:G})");
    public double At(int step) => Minimum + (Initial - Minimum) * (1 + Math.Cos(Math.PI * Math.Min(step, TotalSteps) / TotalSteps)) / 2;
}
