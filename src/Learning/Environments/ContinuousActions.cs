using Alrs.Learning.Rl;

namespace Alrs.Learning.Environments;

/// <summary>The action is the multiplier itself, clipped to [1/factor, factor].</summary>
public sealed class ContinuousActions(double factor) : IActionMapping
{
    public string Name => ActionMappings.Continuous;
    public ActionSpace Space { get; } = ActionSpace.Continuous((float)(1 / factor), (float)factor);

    public double Apply(double learningRate, float[] action)
    {
        var multiplier = Math.Clamp(ActionMappings.Single(action, Name), 1 / factor, factor);
        return learningRate * multiplier;
    }
}
