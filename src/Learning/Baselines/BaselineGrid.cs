using Alrs.Learning.Environments;

namespace Alrs.Learning.Baselines;

/// <summary>
/// The schedules compared against the controller, each family over the same initial (or
/// peak) rates: constants, the reimplementation's step decay grid, cosine annealing, the
/// explore–exploit (knee) schedule, hypergradient descent and the online probe tuner (at equal
/// kept steps and at equal child compute).
/// </summary>
public sealed record BaselineGrid
{
    public const string Constant = "constant", StepDecay = "step-decay", Cosine = "cosine", Knee = "knee", Hypergradient = "hypergradient";

    /// <summary>Every family, in the order tables list them.</summary>
    public static readonly IReadOnlyList<string> AllFamilies =
        [Constant, StepDecay, Cosine, Knee, Hypergradient, ProbeTunerSchedule.StepsFamily, ProbeTunerSchedule.ComputeFamily];

    /// <summary>The families in the grid (a subset of <see cref="AllFamilies"/>).</summary>
    public IReadOnlyList<string> Families { get; init; } = AllFamilies;
    /// <summary>Initial rates for every family (the peak of the knee schedule).</summary>
    public IReadOnlyList<double> InitialRates { get; init; } = [1e-1, 1e-2, 1e-3, 1e-4];
    /// <summary>Step decay: child steps between two decays.</summary>
    public IReadOnlyList<int> DecayEvery { get; init; } = [10, 20, 50, 100];
    /// <summary>Step decay: multiplier applied at each decay.</summary>
    public IReadOnlyList<double> DecayFactors { get; init; } = [0.99, 0.9, 0.88];
    /// <summary>Knee: fraction of the episode before the decay starts (warm-up included).</summary>
    public IReadOnlyList<double> KneeExploreFractions { get; init; } = [0.3, 0.5, 0.7];
    /// <summary>Knee: fraction of the episode spent on the linear warm-up (0 = none).</summary>
    public IReadOnlyList<double> KneeWarmupFractions { get; init; } = [0, 0.05];
    /// <summary>Hypergradient hyper-rates β with Adam, whose ⟨g, u⟩ sums |g| over all weights (Baydin et al. used 1e-7).</summary>
    public IReadOnlyList<double> HypergradientAdamBetas { get; init; } = [1e-8, 1e-7, 1e-6];
    /// <summary>Hypergradient hyper-rates β with SGD and SGD with momentum, whose ⟨g, u⟩ is about |g|² (Baydin et al. used 1e-3).</summary>
    public IReadOnlyList<double> HypergradientSgdBetas { get; init; } = [1e-4, 1e-3, 1e-2];
    /// <summary>The probe tuner's settings.</summary>
    public ProbeTunerSettings Probe { get; init; } = new();

    public IEnumerable<ILearningRateSchedule> Constants() => InitialRates.Select(r => new ConstantSchedule(r));

    public IEnumerable<ILearningRateSchedule> StepDecays() =>
        from rate in InitialRates from every in DecayEvery from factor in DecayFactors
        select new StepDecaySchedule(rate, every, factor);

    /// <summary>Cosine annealing over <paramref name="totalSteps"/> down to <paramref name="minimum"/> (the lower rate bound).</summary>
    public IEnumerable<ILearningRateSchedule> Cosines(int totalSteps, double minimum) =>
        InitialRates.Select(r => new CosineAnnealingSchedule(r, totalSteps, minimum));

    /// <summary>Knee schedules over <paramref name="totalSteps"/>, decaying to <paramref name="minimum"/> (the lower rate bound, as cosine).</summary>
    public IEnumerable<ILearningRateSchedule> Knees(int totalSteps, double minimum) =>
        from rate in InitialRates from explore in KneeExploreFractions from warmup in KneeWarmupFractions
        select new KneeSchedule(rate, totalSteps, explore, warmup, minimum);

    public IEnumerable<ILearningRateSchedule> Hypergradients(ChildOptimizer optimizer) =>
        from rate in InitialRates from beta in optimizer == ChildOptimizer.Adam ? HypergradientAdamBetas : HypergradientSgdBetas
        select new HypergradientSchedule(rate, beta);

    public IEnumerable<ILearningRateSchedule> ProbeTuners(bool equalCompute) => InitialRates.Select(r => new ProbeTunerSchedule(r, Probe, equalCompute));

    /// <summary>Every schedule of the enabled families for episodes of <paramref name="settings"/>; <see cref="InputException"/> for probe settings that do not fit its decisions.</summary>
    public IReadOnlyList<ILearningRateSchedule> All(EnvironmentSettings settings)
    {
        if (Families.Any(f => f.StartsWith(ProbeTunerSchedule.StepsFamily, StringComparison.Ordinal))) Probe.Validate(settings.DecisionInterval);
        return [.. Families.SelectMany(family => family switch
        {
            Constant => Constants(),
            StepDecay => StepDecays(),
            Cosine => Cosines(settings.Steps, settings.MinLearningRate),
            Knee => Knees(settings.Steps, settings.MinLearningRate),
            Hypergradient => Hypergradients(settings.Optimizer),
            ProbeTunerSchedule.StepsFamily => ProbeTuners(equalCompute: false),
            ProbeTunerSchedule.ComputeFamily => ProbeTuners(equalCompute: true),
            _ => throw new InputException($"unknown baseline family '{family}' (known: {string.Join(", ", AllFamilies)})"),
        })];
    }
}
