using Alrs.Learning.Rl;

namespace Alrs.Learning.Environments;

/// <summary>
/// How a controller action changes the learning rate. The environment clips the result to
/// the rate bounds afterwards.
/// </summary>
public interface IActionMapping
{
    string Name { get; }
    ActionSpace Space { get; }
    /// <summary>The new rate after <paramref name="action"/> (one float, see <see cref="ActionSpace"/>).</summary>
    double Apply(double learningRate, float[] action);
}

/// <summary>The action kinds by configuration name.</summary>
public static class ActionMappings
{
    public const string Discrete = "discrete", Continuous = "continuous", Authors = "authors";
    public static readonly IReadOnlyList<string> Kinds = [Discrete, Continuous, Authors];

    public static IActionMapping Create(string kind, double factor = 1.05) => kind switch
    {
        Discrete => new DiscreteActions(factor),
        Continuous => new ContinuousActions(factor),
        Authors => new AuthorsActions(),
        _ => throw new InputException($"unknown action kind '{kind}' (known: {string.Join(", ", Kinds)})"),
    };

    internal static float Single(float[] action, string kind) =>
        action is { Length: 1 } ? action[0] : throw new ArgumentException($"{kind} action must be one float, got {action.Length}");
}
