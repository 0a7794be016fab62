using System.Globalization;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// The best controller of a population by mean recent return, and the spread (best − worst)
/// of the controllers' mean returns: what the status line and <c>alrs ctl learner status</c> show.
/// </summary>
public sealed record PopulationSpread(int Best, double BestReturn, double Spread)
{
    /// <summary>Null until at least one controller has finished an episode.</summary>
    public static PopulationSpread? Of(IEnumerable<LearnerStatus> controllers)
    {
        var scored = controllers.Where(c => c.RecentReturns.Count > 0).Select(c => (c.Controller, Mean: c.MeanRecentReturn)).ToArray();
        return Of(scored);
    }

    /// <summary>From (controller, mean recent return) pairs; ties go to the lowest id.</summary>
    public static PopulationSpread? Of(IReadOnlyList<(int Controller, double Mean)> scored)
    {
        if (scored.Count == 0) return null;
        var best = scored.OrderByDescending(s => s.Mean).ThenBy(s => s.Controller).First();
        return new PopulationSpread(best.Controller, best.Mean, best.Mean - scored.Min(s => s.Mean));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"best controller {Best} (mean return {BestReturn:0.###}), spread {Spread:0.###}");
}
