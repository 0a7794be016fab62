using System.Globalization;
using Alrs.Learning;
using Alrs.Learning.Ppo;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// The PPO hyperparameters population-based training may explore, by their alrs.ppo key: each is
/// read by every update (the learning rates by the optimizer built with the agent, the others by
/// the loss), so a learner can change them between two updates. <c>learning-rate</c> is the
/// actor's Adam rate and the critic's when <c>alrs.ppo.critic-learning-rate</c> is none.
/// </summary>
public static class PbtHyperparameters
{
    public const string LearningRate = "learning-rate", ClipCoefficient = "clip-coefficient", EntropyCoefficient = "entropy-coefficient";

    /// <summary>Every explorable key, in the order they are shown.</summary>
    public static readonly IReadOnlyList<string> Names = [LearningRate, ClipCoefficient, EntropyCoefficient];

    /// <summary>The explorable values of <paramref name="settings"/>.</summary>
    public static IReadOnlyDictionary<string, double> Of(PpoSettings settings) => new Dictionary<string, double>
    {
        [LearningRate] = settings.LearningRate,
        [ClipCoefficient] = settings.ClipCoefficient,
        [EntropyCoefficient] = settings.EntropyCoefficient,
    };

    /// <summary><paramref name="settings"/> with the values of <paramref name="values"/> (keys it lacks keep theirs).</summary>
    public static PpoSettings Apply(PpoSettings settings, IReadOnlyDictionary<string, double> values)
    {
        foreach (var (key, value) in values)
        {
            settings = key switch
            {
                LearningRate => settings with { LearningRate = value },
                ClipCoefficient => settings with { ClipCoefficient = value },
                EntropyCoefficient => settings with { EntropyCoefficient = value },
                _ => throw new InputException($"{key} is not a PPO hyperparameter population-based training explores ({string.Join(", ", Names)})"),
            };
        }
        settings.Validate();
        return settings;
    }

    /// <summary><c>learning-rate = 0.003, clip-coefficient = 0.2, entropy-coefficient = 0.1</c>, in <see cref="Names"/> order.</summary>
    public static string Format(IReadOnlyDictionary<string, double> values) =>
        string.Join(", ", Names.Where(values.ContainsKey).Select(name => $"{name} = {values[name].ToString("G4", CultureInfo.InvariantCulture)}"));

    /// <summary>One line for an exploit, as logged and printed.</summary>
    public static string Describe(PopulationExploit e) => string.Create(CultureInfo.InvariantCulture,
        $"pbt: controller {e.Controller} (mean return {e.MeanReturn:0.###}, {e.Updates} updates) exploits controller {e.SourceController} v{e.SourceVersion} " +
        $"(mean return {e.SourceMeanReturn:0.###}) as v{e.Version}; explores {e.Perturbation}: {Format(e.Hyperparameters)}");
}
