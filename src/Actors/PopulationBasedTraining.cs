using System.Globalization;

namespace Alrs.Actors;

/// <summary>
/// The decisions of population-based training, as pure functions (the
/// <see cref="PopulationActor"/> applies them): which controllers are in the bottom and the top
/// quantile, and how an exploiting controller's hyperparameters are explored from its source's.
/// Written after Ray Tune's PopulationBasedTraining: the same quantile rule, resample
/// probability and factors, with every value kept within its configured bounds.
/// </summary>
public static class PopulationBasedTraining
{
    /// <summary>
    /// Controllers in the bottom (and in the top) quantile of <paramref name="ranked"/>: ⌈n·q⌉,
    /// at most ⌊n/2⌋ (Ray Tune's rule), so at least one of two or more and the two never overlap.
    /// K = 3 or 4 with q = 0.25: one each; K = 8: two each. Fewer than two ranked: none.
    /// </summary>
    public static int QuantileSize(int ranked, double quantile) =>
        ranked < 2 ? 0 : Math.Clamp((int)Math.Ceiling(ranked * quantile - 1e-9), 1, ranked / 2);

    /// <summary>
    /// The bottom and top quantile of the controllers with a finite score (their mean recent
    /// return), worst first and best last; of equal scores the lower controller id ranks higher.
    /// </summary>
    public static (IReadOnlyList<int> Bottom, IReadOnlyList<int> Top) Quantiles(IReadOnlyList<(int Controller, double Mean)> scored, double quantile)
    {
        var ranked = scored.Where(s => double.IsFinite(s.Mean)).OrderBy(s => s.Mean).ThenByDescending(s => s.Controller).Select(s => s.Controller).ToArray();
        var size = QuantileSize(ranked.Length, quantile);
        return (ranked[..size], ranked[(ranked.Length - size)..]);
    }

    /// <summary>
    /// Explores <paramref name="source"/>'s hyperparameters: each one of
    /// <see cref="PbtSettings.Explore"/> is, with probability <see cref="PbtSettings.ResampleProbability"/>,
    /// resampled log-uniformly from its bounds, else multiplied by 0.8 or 1.2 (even odds), then
    /// clamped into its bounds; the others are kept. Returns the values and how each was explored
    /// (<c>learning-rate ×1.2, clip-coefficient resampled</c>).
    /// </summary>
    public static (IReadOnlyDictionary<string, double> Values, string Perturbation) Explore(
        IReadOnlyDictionary<string, double> source, PbtSettings settings, Random random)
    {
        var values = new Dictionary<string, double>(source);
        var how = new List<string>();
        foreach (var bound in settings.Explore)
        {
            double value;
            if (random.NextDouble() < settings.ResampleProbability)
            {
                var (low, high) = (Math.Log(bound.Min), Math.Log(bound.Max));
                value = Math.Exp(low + random.NextDouble() * (high - low));
                how.Add($"{bound.Key} resampled");
            }
            else
            {
                var factor = PbtSettings.Factors[random.Next(PbtSettings.Factors.Count)];
                value = source.GetValueOrDefault(bound.Key, bound.Min) * factor;
                how.Add($"{bound.Key} ×{factor.ToString(CultureInfo.InvariantCulture)}");
            }
            // A source's value from the run's configuration may lie outside the bounds: the explored one never does.
            values[bound.Key] = Math.Clamp(value, bound.Min, bound.Max);
        }
        return (values, string.Join(", ", how));
    }
}
