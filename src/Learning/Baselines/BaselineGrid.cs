namespace Alrs.Learning.Baselines;

/// <summary>
/// The schedules compared against the controller: constants, the reimplementation's step
/// decay grid, and cosine annealing, each over the same initial rates.
/// </summary>
public sealed record BaselineGrid
{
    /// <summary>Initial rates for every family.</summary>
    public IReadOnlyList<double> InitialRates { get; init; } = [1e-1, 1e-2, 1e-3, 1e-4];
    /// <summary>Step decay: child steps between two decays.</summary>
    public IReadOnlyList<int> DecayEvery { get; init; } = [10, 20, 50, 100];
    /// <summary>Step decay: multiplier applied at each decay.</summary>
    public IReadOnlyList<double> DecayFactors { get; init; } = [0.99, 0.9, 0.88];

    public IEnumerable<ILearningRateSchedule> Constants() => InitialRates.Select(r => new ConstantSchedule(r));

    public IEnumerable<ILearningRateSchedule> StepDecays() =>
        from rate in InitialRates from every in DecayEvery from factor in DecayFactors
        select new StepDecaySchedule(rate, every, factor);

    /// <summary>Cosine annealing over <paramref name="totalSteps"/> down to <paramref name="minimum"/> (the lower rate bound).</summary>
    public IEnumerable<ILearningRateSchedule> Cosines(int totalSteps, double minimum) =>
        InitialRates.Select(r => new CosineAnnealingSchedule(r, totalSteps, minimum));

    public IReadOnlyList<ILearningRateSchedule> All(int totalSteps, double minimum) =>
        [.. Constants(), .. StepDecays(), .. Cosines(totalSteps, minimum)];
}
