namespace Alrs.Learning.Ppo;

/// <summary>
/// PPO hyperparameters, one line of doc each (CleanRL style). Defaults follow the reference
/// reimplementation (stable-baselines PPO2 + VecNormalize); <see cref="Authors"/> follows
/// the authors' TensorFlow code.
/// </summary>
public sealed record PpoSettings
{
    /// <summary>Discount factor γ of the return (reference: 1.0, the episode is a fixed 100 decisions).</summary>
    public double Gamma { get; init; } = 1.0;
    /// <summary>GAE λ: 1 = Monte-Carlo advantage, 0 = one-step TD advantage.</summary>
    public double Lambda { get; init; } = 0.95;
    /// <summary>The surrogate clipping coefficient ε: the ratio is clipped to [1−ε, 1+ε].</summary>
    public double ClipCoefficient { get; init; } = 0.2;
    /// <summary>Whether the value loss is clipped around the acting critic's values with the same ε (PPO2 does).</summary>
    public bool ClipValueLoss { get; init; } = true;
    /// <summary>Entropy bonus coefficient (reference 0.1: high, keeps the controller exploring; CleanRL uses 0.01).</summary>
    public double EntropyCoefficient { get; init; } = 0.1;
    /// <summary>Value loss coefficient in the total loss.</summary>
    public double ValueCoefficient { get; init; } = 0.5;
    /// <summary>The maximum norm of all gradients together before the Adam step.</summary>
    public double MaxGradNorm { get; init; } = 0.5;
    /// <summary>Adam learning rate of the actor (and of the critic unless <see cref="CriticLearningRate"/> is set).</summary>
    public double LearningRate { get; init; } = 3e-3;
    /// <summary>A separate Adam learning rate for the critic; null = <see cref="LearningRate"/>.</summary>
    public double? CriticLearningRate { get; init; }
    /// <summary>Adam's ε (PPO2's TensorFlow Adam uses 1e-5).</summary>
    public double AdamEpsilon { get; init; } = 1e-5;
    /// <summary>Number of minibatches each update's batch is split into per epoch.</summary>
    public int Minibatches { get; init; } = 4;
    /// <summary>Passes over the batch per update.</summary>
    public int Epochs { get; init; } = 4;
    /// <summary>Hidden layer widths of the actor MLP (ReLU).</summary>
    public IReadOnlyList<int> ActorHidden { get; init; } = [32, 32];
    /// <summary>Hidden layer widths of the critic MLP (ReLU), a network separate from the actor.</summary>
    public IReadOnlyList<int> CriticHidden { get; init; } = [32, 32];
    /// <summary>Normalise observations by a running mean and variance (VecNormalize).</summary>
    public bool NormalizeObservations { get; init; } = true;
    /// <summary>Normalised observations are clipped to ±this.</summary>
    public double ObservationClip { get; init; } = 10.0;
    /// <summary>Scale rewards by the running std of the discounted return (VecNormalize; no mean is subtracted).</summary>
    public bool NormalizeRewards { get; init; } = true;
    /// <summary>Scaled rewards are clipped to ±this.</summary>
    public double RewardClip { get; init; } = 10.0;
    /// <summary>Normalise advantages to zero mean and unit std within each minibatch.</summary>
    public bool NormalizeAdvantages { get; init; } = true;
    /// <summary>
    /// Where advantages are normalised: per minibatch (PPO2, CleanRL) or once over the update's
    /// whole batch. With small minibatches and rewards of very different sizes (the first
    /// improvement is ~100× the last), per-minibatch normalisation rescales each minibatch by
    /// its own spread, so the late decisions' small advantages are blown up in some minibatches
    /// and drowned in others; over the batch they keep their relative size.
    /// </summary>
    public AdvantageScope AdvantageScope { get; init; } = AdvantageScope.Minibatch;
    /// <summary>
    /// Anneal the actor's and critic's learning rates linearly from their value to 0 over this
    /// many updates (CleanRL's anneal_lr; null = constant). Counted from update 0 of the run, so
    /// a resumed run continues the same line.
    /// </summary>
    public int? AnnealUpdates { get; init; }
    /// <summary>Anneal the entropy coefficient with the same line as the learning rate (needs <see cref="AnnealUpdates"/>).</summary>
    public bool AnnealEntropy { get; init; }
    /// <summary>Stop the update's epochs early once the approximate KL exceeds this; null = never.</summary>
    public double? TargetKl { get; init; }
    /// <summary>
    /// Continuous actions: a fixed standard deviation of the Gaussian (authors: 0.1), in the
    /// action's own units; null = a learnable, state-independent log-std.
    /// </summary>
    public double? FixedStd { get; init; }
    /// <summary>
    /// Continuous actions: the initial learnable std, in units of half the action range
    /// (1.0 = PPO2's log-std 0 on a [−1, 1] action).
    /// </summary>
    public double InitialStd { get; init; } = 1.0;

    /// <summary>The reference reimplementation's settings (= the defaults).</summary>
    public static PpoSettings Reimplementation { get; } = new();

    /// <summary>
    /// The authors' code: γ 0.9, one-step TD target (λ 0), actor lr 1e-3, critic lr 1e-2,
    /// gradient clip 5.0, 10 passes over one episode's full batch, one hidden layer of 32,
    /// fixed std 0.1, reward 2 − loss used unscaled. Not stated there, kept from the
    /// defaults: observation and advantage normalisation, Adam ε.
    /// </summary>
    public static PpoSettings Authors { get; } = new()
    {
        Gamma = 0.9,
        Lambda = 0.0,
        ClipValueLoss = false,
        EntropyCoefficient = 0.0,
        LearningRate = 1e-3,
        CriticLearningRate = 1e-2,
        MaxGradNorm = 5.0,
        Minibatches = 1,
        Epochs = 10,
        ActorHidden = [32],
        CriticHidden = [32],
        NormalizeRewards = false,
        FixedStd = 0.1,
    };

    /// <summary>The share of the learning rates (and, with <see cref="AnnealEntropy"/>, of the entropy coefficient) in effect after <paramref name="updates"/> updates.</summary>
    public double AnnealFraction(long updates) => AnnealUpdates is { } n ? Math.Max(0.0, 1.0 - (double)updates / n) : 1.0;

    /// <summary>The critic's learning rate in effect.</summary>
    public double EffectiveCriticLearningRate => CriticLearningRate ?? LearningRate;

    /// <summary>Throws <see cref="InputException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string what) { if (!ok) throw new InputException($"PPO setting {what}"); }
        Check(Gamma is >= 0 and <= 1, $"Gamma must be in [0, 1], got {Gamma}");
        Check(Lambda is >= 0 and <= 1, $"Lambda must be in [0, 1], got {Lambda}");
        Check(ClipCoefficient > 0, $"ClipCoefficient must be positive, got {ClipCoefficient}");
        Check(EntropyCoefficient >= 0, $"EntropyCoefficient must be non-negative, got {EntropyCoefficient}");
        Check(ValueCoefficient >= 0, $"ValueCoefficient must be non-negative, got {ValueCoefficient}");
        Check(MaxGradNorm > 0, $"MaxGradNorm must be positive, got {MaxGradNorm}");
        Check(LearningRate > 0, $"LearningRate must be positive, got {LearningRate}");
        Check(CriticLearningRate is null or > 0, $"CriticLearningRate must be positive, got {CriticLearningRate}");
        Check(AdamEpsilon > 0, $"AdamEpsilon must be positive, got {AdamEpsilon}");
        Check(Minibatches >= 1, $"Minibatches must be at least 1, got {Minibatches}");
        Check(Epochs >= 1, $"Epochs must be at least 1, got {Epochs}");
        Check(ActorHidden.Count > 0 && ActorHidden.All(h => h > 0), "ActorHidden must list positive widths");
        Check(CriticHidden.Count > 0 && CriticHidden.All(h => h > 0), "CriticHidden must list positive widths");
        Check(ObservationClip > 0, $"ObservationClip must be positive, got {ObservationClip}");
        Check(RewardClip > 0, $"RewardClip must be positive, got {RewardClip}");
        Check(TargetKl is null or > 0, $"TargetKl must be positive, got {TargetKl}");
        Check(FixedStd is null or > 0, $"FixedStd must be positive, got {FixedStd}");
        Check(InitialStd > 0, $"InitialStd must be positive, got {InitialStd}");
        Check(Enum.IsDefined(AdvantageScope), $"AdvantageScope must be minibatch or batch, got {AdvantageScope}");
        Check(AnnealUpdates is null or > 0, $"AnnealUpdates must be positive, got {AnnealUpdates}");
        Check(!AnnealEntropy || AnnealUpdates is not null, "AnnealEntropy needs AnnealUpdates");
    }

    // Records compare lists by reference; settings compare by their values.
    public bool Equals(PpoSettings? other) =>
        other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode();

    bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Gamma = {Gamma}, Lambda = {Lambda}, ClipCoefficient = {ClipCoefficient}, ClipValueLoss = {ClipValueLoss}, ");
        builder.Append($"EntropyCoefficient = {EntropyCoefficient}, ValueCoefficient = {ValueCoefficient}, MaxGradNorm = {MaxGradNorm}, ");
        builder.Append($"LearningRate = {LearningRate}, CriticLearningRate = {CriticLearningRate?.ToString() ?? "null"}, AdamEpsilon = {AdamEpsilon}, ");
        builder.Append($"Minibatches = {Minibatches}, Epochs = {Epochs}, ActorHidden = [{string.Join(", ", ActorHidden)}], CriticHidden = [{string.Join(", ", CriticHidden)}], ");
        builder.Append($"NormalizeObservations = {NormalizeObservations}, ObservationClip = {ObservationClip}, NormalizeRewards = {NormalizeRewards}, RewardClip = {RewardClip}, ");
        builder.Append($"NormalizeAdvantages = {NormalizeAdvantages}, TargetKl = {TargetKl?.ToString() ?? "null"}, FixedStd = {FixedStd?.ToString() ?? "null"}, InitialStd = {InitialStd}, ");
        builder.Append($"AdvantageScope = {AdvantageScope}, AnnealUpdates = {AnnealUpdates?.ToString() ?? "null"}, AnnealEntropy = {AnnealEntropy}");
        return true;
    }
}

/// <summary>Where <see cref="PpoSettings.NormalizeAdvantages"/> takes its mean and std.</summary>
public enum AdvantageScope { Minibatch, Batch }
