using Alrs.Learning.Rl;

namespace Alrs.Learning.Environments;

/// <summary>
/// The action is a step in log-rate: rate ← rate·exp(a), a clipped to ±ln factor. The policy's
/// Gaussian is centred on 0, i.e. on "keep", so an untrained controller neither warms up nor
/// decays on average (the linear <see cref="ContinuousActions"/> is centred at (f + 1/f)/2 &gt; 1),
/// and equal steps up and down cancel. With factor 4 the rate can fall ×1000 in five decisions,
/// enough to draw the knee schedule's final decay.
/// </summary>
public sealed class LogContinuousActions(double factor) : IActionMapping
{
    public string Name => ActionMappings.LogContinuous;
    public ActionSpace Space { get; } = ActionSpace.Continuous((float)-Math.Log(factor), (float)Math.Log(factor));

    /// <summary>The multiplier exp(a) after clipping a to ±ln factor.</summary>
    public double Multiplier(float[] action)
    {
        var bound = Math.Log(factor);
        return Math.Exp(Math.Clamp(ActionMappings.Single(action, Name), -bound, bound));
    }

    public double Apply(double learningRate, float[] action) => learningRate * Multiplier(action);
}
