using System.Globalization;

namespace Alrs.Learning.Baselines;

/// <summary>
/// Settings of the online probe tuner (<see cref="ProbeTunerSchedule"/>); hocon
/// <c>alrs.baselines.probe</c>. Defaults: a probe every 100 child steps, 20 steps per
/// candidate, candidates lr/2, lr, lr·2, scored on 2000 validation images.
/// </summary>
public sealed record ProbeTunerSettings
{
    /// <summary>K: child steps of the kept trajectory between the starts of two probes.</summary>
    public int Every { get; init; } = 100;
    /// <summary>m: child steps each candidate trains from the snapshot.</summary>
    public int Steps { get; init; } = 20;
    /// <summary>α: the candidates are lr/α, lr and lr·α.</summary>
    public double Factor { get; init; } = 2;
    /// <summary>Validation images (the first N of the validation split) a candidate is scored on.</summary>
    public int ValidationSamples { get; init; } = 2000;

    /// <summary>Candidates per probe: lr, lr/α, lr·α.</summary>
    public const int Candidates = 3;

    /// <summary>Throws <see cref="InputException"/> naming the first invalid setting; probes start and end at decisions.</summary>
    public ProbeTunerSettings Validate(int decisionInterval)
    {
        static void Require(bool ok, string what) { if (!ok) throw new InputException($"alrs.baselines.probe.{what}"); }
        Require(Steps > 0 && Steps % decisionInterval == 0, $"steps must be a positive multiple of the decision interval ({decisionInterval}), got {Steps}");
        Require(Every >= Steps && Every % decisionInterval == 0, $"every must be a multiple of the decision interval ({decisionInterval}) and >= steps ({Steps}), got {Every}");
        Require(Factor > 1 && double.IsFinite(Factor), $"factor must be > 1, got {Factor.ToString("G", CultureInfo.InvariantCulture)}");
        Require(ValidationSamples > 0, $"validation-samples must be positive, got {ValidationSamples}");
        return this;
    }

    /// <summary>Probes in a kept trajectory of <paramref name="keptSteps"/>: one at every multiple of K whose m steps fit.</summary>
    public int ProbesIn(int keptSteps) => keptSteps < Steps ? 0 : (keptSteps - Steps) / Every + 1;

    /// <summary>Child steps spent on a kept trajectory of <paramref name="keptSteps"/>: every candidate's m steps count; one candidate's are kept.</summary>
    public long ChildStepsFor(int keptSteps) => keptSteps + (long)ProbesIn(keptSteps) * (Candidates - 1) * Steps;

    /// <summary>
    /// The longest kept trajectory (a multiple of <paramref name="decisionInterval"/>) whose
    /// child steps, probes included, fit in <paramref name="budget"/>: the equal-compute length.
    /// </summary>
    public int KeptStepsWithin(int budget, int decisionInterval)
    {
        var kept = budget / decisionInterval * decisionInterval;
        while (kept > 0 && ChildStepsFor(kept) > budget) kept -= decisionInterval;
        return kept;
    }
}
