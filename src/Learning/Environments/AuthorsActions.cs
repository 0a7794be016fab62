using Alrs.Learning.Rl;

namespace Alrs.Learning.Environments;

/// <summary>
/// The authors' mapping: the Gaussian policy's sample a, clipped to [−0.2, 0.5], becomes the
/// multiplier (a − 0.15)·0.1 + 1, i.e. ×0.965 to ×1.035 per decision.
/// </summary>
public sealed class AuthorsActions : IActionMapping
{
    public const float Low = -0.2f, High = 0.5f;
    const double Centre = 0.15, Scale = 0.1;

    public string Name => ActionMappings.Authors;
    public ActionSpace Space { get; } = ActionSpace.Continuous(Low, High);

    public double Apply(double learningRate, float[] action)
    {
        double a = Math.Clamp(ActionMappings.Single(action, Name), Low, High);
        return learningRate * ((a - Centre) * Scale + 1);
    }
}
