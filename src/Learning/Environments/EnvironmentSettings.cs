using System.Globalization;

namespace Alrs.Learning.Environments;

/// <summary>The child network's optimizer.</summary>
public enum ChildOptimizer { Adam, Sgd, Momentum }

/// <summary>What the controller is rewarded with.</summary>
public enum RewardMode
{
    /// <summary>−validation loss at every decision (the reimplementation).</summary>
    Dense,
    /// <summary>0 at every decision but the last, which gets −validation loss.</summary>
    Final,
    /// <summary>2.0 − validation loss at every decision (the authors' code).</summary>
    Authors,
    /// <summary>
    /// The decrease of the validation loss since the previous decision (the first from the
    /// loss at reset): dense, yet its undiscounted sum is L₀ − L_final, so with γ = 1 it
    /// optimises the final loss, not the area under the loss curve that dense rewards.
    /// </summary>
    Improvement,
    /// <summary>
    /// The improvement beyond the residual base's on the same child: (L_{t−1} − L_t) − (B_{t−1} − B_t),
    /// where B is the validation curve of the base schedule run on the same initial weights and
    /// data order. Its sum is B_final − L_final: how far the controller ends below its base, with
    /// the child seed's luck, common to both runs, cancelled (common random numbers). Needs the
    /// residual action.
    /// </summary>
    Relative,
}

/// <summary>
/// Settings of one <see cref="LearningRateEnvironment"/>. The data set and architecture are
/// given to its constructor; everything else is here. Defaults follow the reimplementation
/// (see /work/shared/reference.md).
/// </summary>
public sealed record EnvironmentSettings
{
    /// <summary>Child optimizer steps per episode.</summary>
    public int Steps { get; init; } = 1000;
    /// <summary>Training images per child step.</summary>
    public int BatchSize { get; init; } = 1000;
    /// <summary>Child steps between two controller decisions.</summary>
    public int DecisionInterval { get; init; } = 10;
    /// <summary>Child optimizer: adam, sgd or momentum (SGD with <see cref="Momentum"/>).</summary>
    public ChildOptimizer Optimizer { get; init; } = ChildOptimizer.Adam;
    /// <summary>Momentum coefficient of the momentum optimizer.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Learning rate at the start of an episode, when <see cref="InitialLearningRateChoices"/> is empty.</summary>
    public double InitialLearningRate { get; init; } = 1e-3;
    /// <summary>When non-empty, each episode's initial rate is drawn uniformly from these (the reimplementation: 1e-2, 1e-3, 1e-4).</summary>
    public IReadOnlyList<double> InitialLearningRateChoices { get; init; } = [];
    /// <summary>Lowest learning rate; every rate is clipped to [min, max].</summary>
    public double MinLearningRate { get; init; } = 1e-5;
    /// <summary>Highest learning rate.</summary>
    public double MaxLearningRate { get; init; } = 1e-1;
    /// <summary>Validation images measured at each decision: the first N of the validation split (a fixed subset; all when ≥ its size).</summary>
    public int ValidationSamples { get; init; } = 10_000;
    /// <summary>Images per forward pass when measuring validation and test sets (memory bound, not a hyperparameter).</summary>
    public int EvaluationBatchSize { get; init; } = 5000;
    /// <summary>Reward: dense (−val loss each decision), final (only at the end), authors (2 − val loss each decision), improvement (previous − current val loss) or relative (improvement beyond the residual base's on the same child).</summary>
    public RewardMode Reward { get; init; } = RewardMode.Dense;
    /// <summary>Reward of the decision at which the child diverged (a non-finite loss); the episode ends there.</summary>
    public double DivergencePenalty { get; init; } = -10.0;
    /// <summary>Std of Gaussian noise added to the rate at every decision (training only).</summary>
    public double LearningRateNoiseStd { get; init; } = 1e-5;
    /// <summary>
    /// Std of multiplicative noise on the rate at every decision, rate·exp(N(0, σ)) (training
    /// only): unlike the absolute noise it is the same share of a large and of an annealed rate.
    /// </summary>
    public double LearningRateRelativeNoiseStd { get; init; }
    /// <summary>Std of Gaussian noise on the initial rate, relative to it (0.1 = rate/10; training only).</summary>
    public double InitialLearningRateRelativeNoise { get; init; } = 0.1;
    /// <summary>Evaluation episodes: no noise of any kind.</summary>
    public bool Evaluation { get; init; }
    /// <summary>Observation features: reimplementation (7), reimplementation-log (7, on logits, logs of variances and rate) or authors (9).</summary>
    public string Observation { get; init; } = ObservationFeatures.Reimplementation;
    /// <summary>Append progress (child steps taken / steps) to the observation.</summary>
    public bool ObserveProgress { get; init; }
    /// <summary>
    /// Action mapping: discrete (×f, ÷f, keep), continuous (factor in [1/f, f]), authors (Gaussian
    /// offset), log-continuous (rate·exp(a), |a| ≤ ln f), multi-factor (7 choices f^(k/3), k = −3…3)
    /// or residual (base(t)·exp(a) on <see cref="ResidualBase"/>).
    /// </summary>
    public string Action { get; init; } = ActionMappings.Discrete;
    /// <summary>The factor f of the discrete, continuous, log-continuous, multi-factor and residual actions.</summary>
    public double ActionFactor { get; init; } = 1.05;
    /// <summary>The residual action's base schedule, by the name the baselines print (empty for other actions).</summary>
    public string ResidualBase { get; init; } = "";
    /// <summary>The residual action's late bound on its multiplier (<see cref="ResidualCap.None"/>: none).</summary>
    public ResidualCap ResidualCap { get; init; } = ResidualCap.None;
    /// <summary>Torch device of the child: cpu, cuda:N or auto.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>
    /// Training episodes only: when positive, the child (initial weights and data order) of an
    /// episode with seed s is the one of seed <see cref="PooledChildSeedBase"/> + (s mod N), so
    /// training sees N distinct children and a relative reward's base curve is computed once per
    /// child and process. 0: every episode its own child.
    /// </summary>
    public int ChildSeedPool { get; init; }
    /// <summary>Offset of the pooled children's seeds: far from the report (0, 1, …) and selection (100) seeds.</summary>
    public const int PooledChildSeedBase = 1_000_000;
    /// <summary>Base seed for runs that choose their own episode seeds (baselines use Seed, Seed+1, …).</summary>
    public int Seed { get; init; }

    /// <summary>A fresh instance of the configured observation features (their names and count too).</summary>
    public IObservationFeatures Features() => ObservationFeatures.Create(Observation, ObserveProgress);

    /// <summary>Throws <see cref="InputException"/> naming the first invalid setting.</summary>
    public EnvironmentSettings Validate()
    {
        static void Require(bool ok, string what) { if (!ok) throw new InputException($"environment setting {what}"); }
        static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);
        Require(Steps > 0, $"steps must be positive, got {Steps}");
        Require(BatchSize > 0, $"batch-size must be positive, got {BatchSize}");
        Require(DecisionInterval > 0, $"decision-interval must be positive, got {DecisionInterval}");
        Require(Steps % DecisionInterval == 0, $"steps ({Steps}) must be a multiple of decision-interval ({DecisionInterval})");
        Require(MinLearningRate > 0 && MinLearningRate <= MaxLearningRate, $"lr bounds must satisfy 0 < min <= max, got [{F(MinLearningRate)}, {F(MaxLearningRate)}]");
        Require(InitialLearningRate > 0, $"initial-lr must be positive, got {F(InitialLearningRate)}");
        Require(InitialLearningRateChoices.All(r => r > 0), $"initial-lr choices must be positive, got [{string.Join(", ", InitialLearningRateChoices.Select(F))}]");
        Require(Momentum is >= 0 and < 1, $"momentum must be in [0, 1), got {F(Momentum)}");
        Require(ValidationSamples > 0, $"validation-samples must be positive, got {ValidationSamples}");
        Require(EvaluationBatchSize > 0, $"evaluation-batch-size must be positive, got {EvaluationBatchSize}");
        Require(double.IsFinite(DivergencePenalty), $"divergence-penalty must be finite, got {F(DivergencePenalty)}");
        Require(LearningRateNoiseStd >= 0, $"lr-noise-std must be >= 0, got {F(LearningRateNoiseStd)}");
        Require(LearningRateRelativeNoiseStd >= 0, $"lr-noise-relative-std must be >= 0, got {F(LearningRateRelativeNoiseStd)}");
        Require(InitialLearningRateRelativeNoise >= 0, $"initial-lr-noise must be >= 0, got {F(InitialLearningRateRelativeNoise)}");
        Require(ActionFactor > 1, $"action-factor must be > 1, got {F(ActionFactor)}");
        Require(Reward != RewardMode.Relative || Action == ActionMappings.Residual, $"reward = relative needs action = residual (its base is the reference), got action = {Action}");
        Require(ResidualCap.IsNone || Action == ActionMappings.Residual, $"residual-cap needs action = residual, got action = {Action}");
        Require(ChildSeedPool >= 0, $"child-seed-pool must be >= 0, got {ChildSeedPool}");
        Features();
        ActionMappings.For(this);
        return this;
    }
}
