namespace Alrs.Learning.Evaluation;

/// <summary>One start of a selection run: the initial learning rate and the final validation loss from it.</summary>
public sealed record SelectionStart(double InitialLearningRate, double ValidationLoss);

/// <summary>
/// A controller of a population as the selection saw it: its id, training (PPO) seed, variant,
/// the version evaluated and its final validation loss from each start on the selection seed.
/// </summary>
public sealed record ControllerCandidate(int Controller, int TrainingSeed, string Variant, long Version, IReadOnlyList<SelectionStart> Starts)
{
    /// <summary>Mean final validation loss over the starts; a diverged (non-finite) start makes it +∞, so it is never chosen over a finite one.</summary>
    public double SelectionLoss
    {
        get
        {
            if (Starts.Count == 0) return double.PositiveInfinity;
            var mean = Starts.Average(s => s.ValidationLoss);
            return double.IsFinite(mean) ? mean : double.PositiveInfinity;
        }
    }
}

/// <summary>
/// Chooses a population's controller the way <c>alrs baselines</c> chooses a family's winner:
/// lowest mean final validation loss on the selection seed, over every start. Only the
/// summaries decide: ties go to the lowest controller id, so the choice is deterministic.
/// </summary>
public static class ControllerSelection
{
    public static ControllerCandidate Choose(IReadOnlyList<ControllerCandidate> candidates)
    {
        if (candidates.Count == 0) throw new ArgumentException("a selection needs at least one controller", nameof(candidates));
        return candidates.OrderBy(c => c.SelectionLoss).ThenBy(c => c.Controller).First();
    }
}
