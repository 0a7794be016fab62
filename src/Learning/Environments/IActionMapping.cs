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
    public const string Discrete = "discrete", Continuous = "continuous", Authors = "authors",
        LogContinuous = "log-continuous", MultiFactor = "multi-factor", Residual = "residual";
    public static readonly IReadOnlyList<string> Kinds = [Discrete, Continuous, Authors, LogContinuous, MultiFactor, Residual];

    /// <summary>The mapping of kinds that need no base schedule (all but <see cref="Residual"/>).</summary>
    public static IActionMapping Create(string kind, double factor = 1.05) => kind switch
    {
        Discrete => new DiscreteActions(factor),
        Continuous => new ContinuousActions(factor),
        Authors => new AuthorsActions(),
        LogContinuous => new LogContinuousActions(factor),
        MultiFactor => new MultiFactorActions(factor),
        Residual => throw new InputException("action = residual needs a base schedule: set residual-base (e.g. knee(lr=0.01,explore=0.3,warmup=0.05,min=1E-05))"),
        _ => throw new InputException($"unknown action kind '{kind}' (known: {string.Join(", ", Kinds)})"),
    };

    /// <summary>The mapping <paramref name="settings"/> configure, a residual one on its base schedule.</summary>
    public static IActionMapping For(EnvironmentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Action != Residual) return Create(settings.Action, settings.ActionFactor);
        if (string.IsNullOrWhiteSpace(settings.ResidualBase)) return Create(Residual);
        return new ResidualActions(settings.ActionFactor, Baselines.FixedScheduleName.Parse(settings.ResidualBase, settings.Steps), settings.ResidualCap);
    }

    internal static float Single(float[] action, string kind) =>
        action is { Length: 1 } ? action[0] : throw new ArgumentException($"{kind} action must be one float, got {action.Length}");
}
