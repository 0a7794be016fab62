namespace Alrs.Learning.Ppo;

// CONTRACT STUB (to be completed on the ppo branch): every hyperparameter, one line of doc each.

/// <summary>PPO hyperparameters. Defaults follow the reference reimplementation.</summary>
public sealed record PpoSettings
{
    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 1.0;
    /// <summary>GAE λ.</summary>
    public double Lambda { get; init; } = 0.95;
}
