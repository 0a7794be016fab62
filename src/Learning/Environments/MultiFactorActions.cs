using Alrs.Learning.Rl;

namespace Alrs.Learning.Environments;

/// <summary>
/// Seven discrete multipliers spaced evenly in log-rate between ÷factor and ×factor:
/// factor^(k/3) for k = −3 … 3 (factor 4: ÷4, ÷2.52, ÷1.59, ×1, ×1.59, ×2.52, ×4).
/// Index 3 keeps the rate. Unlike the three-way <see cref="DiscreteActions"/> it can move fast
/// and fine-tune in the same episode.
/// </summary>
public sealed class MultiFactorActions(double factor) : IActionMapping
{
    /// <summary>Choices on each side of "keep".</summary>
    public const int PerSide = 3;
    /// <summary>The index of "keep".</summary>
    public const int Keep = PerSide;

    public string Name => ActionMappings.MultiFactor;
    public ActionSpace Space { get; } = ActionSpace.Discrete(2 * PerSide + 1);

    /// <summary>The multiplier of choice <paramref name="index"/>.</summary>
    public double MultiplierOf(int index) => Math.Pow(factor, (index - (double)PerSide) / PerSide);

    public double Apply(double learningRate, float[] action)
    {
        var choice = (int)MathF.Round(ActionMappings.Single(action, Name));
        if (choice < 0 || choice >= Space.Size)
            throw new ArgumentException($"multi-factor action must be an index in [0, {Space.Size - 1}], got {choice}");
        return learningRate * MultiplierOf(choice);
    }
}
