using System.Globalization;

namespace Alrs.Learning.Baselines;

/// <summary>
/// The explore–exploit ("knee") schedule of Iyer et al. (arXiv 2003.03977): an optional
/// linear warm-up to the peak, the peak held until the explore fraction of the episode is
/// over, then a linear decay that reaches <see cref="Minimum"/> at the last step.
/// With T = <see cref="TotalSteps"/>, W = round(warm-up·T), D = round(explore·T) (W ≤ D):
/// lr_t = peak·(t+1)/W for t &lt; W; peak for W ≤ t &lt; D; and
/// min + (peak − min)·(T−1−t)/(T−1−D) for D ≤ t ≤ T−1 (the decay starts at the peak).
/// The warm-up counts towards the explore phase: D is where the decay starts, whatever W is.
/// </summary>
public sealed record KneeSchedule : IFixedSchedule
{
    public KneeSchedule(double peak, int totalSteps, double exploreFraction, double warmupFraction, double minimum)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "the knee schedule needs a positive step count");
        if (exploreFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(exploreFraction), exploreFraction, "explore fraction must be in [0, 1]");
        if (warmupFraction < 0 || warmupFraction > exploreFraction)
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "warm-up fraction must be in [0, explore fraction]");
        (Peak, TotalSteps, ExploreFraction, WarmupFraction, Minimum) = (peak, totalSteps, exploreFraction, warmupFraction, minimum);
        WarmupSteps = (int)Math.Round(warmupFraction * totalSteps, MidpointRounding.AwayFromZero);
        DecayStart = (int)Math.Round(exploreFraction * totalSteps, MidpointRounding.AwayFromZero);
    }

    public double Peak { get; }
    public int TotalSteps { get; }
    public double ExploreFraction { get; }
    public double WarmupFraction { get; }
    public double Minimum { get; }
    /// <summary>W: steps of the linear warm-up.</summary>
    public int WarmupSteps { get; }
    /// <summary>D: the first step of the decay.</summary>
    public int DecayStart { get; }

    public string Family => "knee";
    public string Name => string.Create(CultureInfo.InvariantCulture, $"knee(lr={Peak:G},explore={ExploreFraction:G},warmup={WarmupFraction:G},min={Minimum:G})");

    public double At(int step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        if (step < DecayStart) return Peak;
        var last = TotalSteps - 1;
        if (step >= last || DecayStart >= last) return step >= last ? Minimum : Peak;
        return Minimum + (Peak - Minimum) * (last - step) / (last - DecayStart);
    }
}
