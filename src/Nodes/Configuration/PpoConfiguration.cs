using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Ppo;

namespace Alrs.Nodes.Configuration;

/// <summary>
/// Maps <c>alrs.ppo</c> (hocon/experiment.hocon) onto <see cref="PpoSettings"/>. Every key
/// is read; experiment.hocon ships the reimplementation's values and a preset file (e.g.
/// hocon/presets/quick-authors.hocon) overrides them like any other HOCON layer. Each value
/// is range-checked here, so a bad one fails naming its HOCON path.
/// </summary>
public static class PpoConfiguration
{
    public const string Section = "alrs.ppo";

    /// <summary>The value of an optional number that is not set.</summary>
    public const string None = "none";

    /// <summary>One key under alrs.ppo: reads its value and applies it to the settings built so far.</summary>
    sealed record Key(string Name, Func<Config, string, PpoSettings, PpoSettings> Apply);

    /// <summary>Every key under alrs.ppo, in the order of experiment.hocon.</summary>
    static readonly Key[] Keys =
    [
        Number("gamma", 0, 1, (s, v) => s with { Gamma = v }),
        Number("lambda", 0, 1, (s, v) => s with { Lambda = v }),
        Positive("clip-coefficient", (s, v) => s with { ClipCoefficient = v }),
        Switch("clip-value-loss", (s, v) => s with { ClipValueLoss = v }),
        Number("entropy-coefficient", 0, double.MaxValue, (s, v) => s with { EntropyCoefficient = v }),
        Number("value-coefficient", 0, double.MaxValue, (s, v) => s with { ValueCoefficient = v }),
        Positive("max-grad-norm", (s, v) => s with { MaxGradNorm = v }),
        Positive("learning-rate", (s, v) => s with { LearningRate = v }),
        OptionalPositive("critic-learning-rate", (s, v) => s with { CriticLearningRate = v }),
        Positive("adam-epsilon", (s, v) => s with { AdamEpsilon = v }),
        Count("minibatches", (s, v) => s with { Minibatches = v }),
        Count("epochs", (s, v) => s with { Epochs = v }),
        Widths("actor-hidden", (s, v) => s with { ActorHidden = v }),
        Widths("critic-hidden", (s, v) => s with { CriticHidden = v }),
        Switch("normalize-observations", (s, v) => s with { NormalizeObservations = v }),
        Positive("observation-clip", (s, v) => s with { ObservationClip = v }),
        Switch("normalize-rewards", (s, v) => s with { NormalizeRewards = v }),
        Positive("reward-clip", (s, v) => s with { RewardClip = v }),
        Switch("normalize-advantages", (s, v) => s with { NormalizeAdvantages = v }),
        OptionalPositive("target-kl", (s, v) => s with { TargetKl = v }),
        OptionalPositive("fixed-std", (s, v) => s with { FixedStd = v }),
        Positive("initial-std", (s, v) => s with { InitialStd = v }),
        Entry("advantage-scope", (config, path) => ExperimentSettings.String(config, path).ToLowerInvariant() switch
        {
            "minibatch" => AdvantageScope.Minibatch,
            "batch" => AdvantageScope.Batch,
            var other => throw new InputException($"{path} must be minibatch or batch, got '{other}'"),
        }, (s, v) => s with { AdvantageScope = v }),
        Entry("anneal-updates", (config, path) => string.Equals(ExperimentSettings.String(config, path), None, StringComparison.OrdinalIgnoreCase)
            ? (int?)null
            : ExperimentSettings.Int(config, path, 1), (s, v) => s with { AnnealUpdates = v }),
        Switch("anneal-entropy", (s, v) => s with { AnnealEntropy = v }),
    ];

    /// <summary>Every path this mapping reads.</summary>
    public static IReadOnlyList<string> Paths { get; } = [.. Keys.Select(k => $"{Section}.{k.Name}")];

    /// <exception cref="InputException">A key is missing, malformed or out of range (named by its path).</exception>
    public static PpoSettings FromConfig(Config config)
    {
        var settings = PpoSettings.Reimplementation;
        foreach (var key in Keys) settings = key.Apply(config, $"{Section}.{key.Name}", settings);
        settings.Validate();
        return settings;
    }

    /// <summary>A key read by <paramref name="read"/> and applied by <paramref name="set"/>.</summary>
    static Key Entry<T>(string name, Func<Config, string, T> read, Func<PpoSettings, T, PpoSettings> set) =>
        new(name, (config, path, settings) => set(settings, read(config, path)));

    static Key Number(string name, double min, double max, Func<PpoSettings, double, PpoSettings> set) =>
        Entry(name, (config, path) => InRange(path, ExperimentSettings.Double(config, path), min, max), set);

    static Key Positive(string name, Func<PpoSettings, double, PpoSettings> set) =>
        Entry(name, (config, path) => PositiveValue(path, ExperimentSettings.Double(config, path)), set);

    static Key OptionalPositive(string name, Func<PpoSettings, double?, PpoSettings> set) =>
        Entry(name, (config, path) => string.Equals(ExperimentSettings.String(config, path), None, StringComparison.OrdinalIgnoreCase)
            ? (double?)null
            : PositiveValue(path, ExperimentSettings.Double(config, path)), set);

    static Key Count(string name, Func<PpoSettings, int, PpoSettings> set) =>
        Entry(name, (config, path) => ExperimentSettings.Int(config, path, 1), set);

    static Key Switch(string name, Func<PpoSettings, bool, PpoSettings> set) =>
        Entry(name, ExperimentSettings.OnOff, set);

    static Key Widths(string name, Func<PpoSettings, IReadOnlyList<int>, PpoSettings> set) =>
        Entry(name, (config, path) =>
        {
            var widths = ExperimentSettings.Doubles(config, path);
            if (widths.Length == 0 || widths.Any(w => w < 1 || w != Math.Floor(w) || w > 65_536))
                throw new InputException($"{path} must be a non-empty list of positive integers, e.g. [32, 32]");
            return (IReadOnlyList<int>)widths.Select(w => (int)w).ToArray();
        }, set);

    static double InRange(string path, double value, double min, double max) =>
        value >= min && value <= max
            ? value
            : throw new InputException(string.Create(CultureInfo.InvariantCulture,
                $"{path} must be {(max == double.MaxValue ? $">= {min}" : $"in [{min}, {max}]")}, got {value}"));

    static double PositiveValue(string path, double value) =>
        value > 0 ? value : throw new InputException(string.Create(CultureInfo.InvariantCulture, $"{path} must be positive, got {value}"));
}
