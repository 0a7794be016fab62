using Alrs.Learning.Rl;

namespace Alrs.Learning.Environments;

/// <summary>Three choices: 0 = increase (×factor), 1 = decrease (÷factor), 2 = keep.</summary>
public sealed class DiscreteActions(double factor) : IActionMapping
{
    public const int Increase = 0, Decrease = 1, Keep = 2;

    public string Name => ActionMappings.Discrete;
    public ActionSpace Space { get; } = ActionSpace.Discrete(3);
    public double Factor => factor;

    public double Apply(double learningRate, float[] action)
    {
        var choice = ActionMappings.Single(action, Name);
        return (int)MathF.Round(choice) switch
        {
            Increase => learningRate * factor,
            Decrease => learningRate / factor,
            Keep => learningRate,
            _ => throw new ArgumentException($"discrete action must be 0 (increase), 1 (decrease) or 2 (keep), got {choice}"),
        };
    }
}
