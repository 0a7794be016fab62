using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Ppo;

namespace Alrs.Nodes.Configuration;

/// <summary>
/// Maps <c>alrs.ppo</c> (hocon/experiment.hocon) onto <see cref="PpoSettings"/>.
/// <c>alrs.ppo.preset</c> picks the base (<see cref="PpoSettings.Reimplementation"/> or
/// <see cref="PpoSettings.Authors"/>); every other key overrides the base where its value
/// differs from the reimplementation's, which is what experiment.hocon ships. Each value is
/// range-checked here, so a bad one fails naming its HOCON path.
/// </summary>
public static class PpoConfiguration
{
    public const string Section = "alrs.ppo";

    /// <summary>The value of an optional number that is not set.</summary>
    public const string None = "none";

    /// <summary>The base settings <c>alrs.ppo.preset</c> names.</summary>
    public static IReadOnlyDictionary<string, PpoSettings> Presets { get; } = new Dictionary<string, PpoSettings>
    {
        ["reimplementation"] = PpoSettings.Reimplementation,
        ["authors"] = PpoSettings.Authors,
    };

    /// <summary>One key under alrs.ppo: reads its value and applies it to the settings built so far.</summary>
    sealed record Key(string Name, Func<Config, string, PpoSettings, PpoSettings> Apply);

    /// <summary>Every key under alrs.ppo besides <c>preset</c>, in the order of experiment.hocon.</summary>
    static readonly Key[] Keys =
    [
        Number("gamma", 0, 1, s => s.Gamma, (s, v) => s with { Gamma = v }),
        Number("lambda", 0, 1, s => s.Lambda, (s, v) => s with { Lambda = v }),
        Positive("clip-coefficient", s => s.ClipCoefficient, (s, v) => s with { ClipCoefficient = v }),
        Switch("clip-value-loss", s => s.ClipValueLoss, (s, v) => s with { ClipValueLoss = v }),
        Number("entropy-coefficient", 0, double.MaxValue, s => s.EntropyCoefficient, (s, v) => s with { EntropyCoefficient = v }),
        Number("value-coefficient", 0, double.MaxValue, s => s.ValueCoefficient, (s, v) => s with { ValueCoefficient = v }),
        Positive("max-grad-norm", s => s.MaxGradNorm, (s, v) => s with { MaxGradNorm = v }),
        Positive("learning-rate", s => s.LearningRate, (s, v) => s with { LearningRate = v }),
        OptionalPositive("critic-learning-rate", s => s.CriticLearningRate, (s, v) => s with { CriticLearningRate = v }),
        Positive("adam-epsilon", s => s.AdamEpsilon, (s, v) => s with { AdamEpsilon = v }),
        Count("minibatches", s => s.Minibatches, (s, v) => s with { Minibatches = v }),
        Count("epochs", s => s.Epochs, (s, v) => s with { Epochs = v }),
        Widths("actor-hidden", s => s.ActorHidden, (s, v) => s with { ActorHidden = v }),
        Widths("critic-hidden", s => s.CriticHidden, (s, v) => s with { CriticHidden = v }),
        Switch("normalize-observations", s => s.NormalizeObservations, (s, v) => s with { NormalizeObservations = v }),
        Positive("observation-clip", s => s.ObservationClip, (s, v) => s with { ObservationClip = v }),
        Switch("normalize-rewards", s => s.NormalizeRewards, (s, v) => s with { NormalizeRewards = v }),
        Positive("reward-clip", s => s.RewardClip, (s, v) => s with { RewardClip = v }),
        Switch("normalize-advantages", s => s.NormalizeAdvantages, (s, v) => s with { NormalizeAdvantages = v }),
        OptionalPositive("target-kl", s => s.TargetKl, (s, v) => s with { TargetKl = v }),
        OptionalPositive("fixed-std", s => s.FixedStd, (s, v) => s with { FixedStd = v }),
        Positive("initial-std", s => s.InitialStd, (s, v) => s with { InitialStd = v }),
    ];

    /// <summary>Every path this mapping reads, <c>alrs.ppo.preset</c> first.</summary>
    public static IReadOnlyList<string> Paths { get; } = [$"{Section}.preset", .. Keys.Select(k => $"{Section}.{k.Name}")];

    /// <exception cref="InputException">A key is missing, malformed or out of range (named by its path).</exception>
    public static PpoSettings FromConfig(Config config)
    {
        var preset = ExperimentSettings.String(config, $"{Section}.preset");
        if (!Presets.TryGetValue(preset, out var settings))
            throw new InputException($"{Section}.preset: unknown value '{preset}' (known: {string.Join(", ", Presets.Keys)})");
        foreach (var key in Keys) settings = key.Apply(config, $"{Section}.{key.Name}", settings);
        settings.Validate();
        return settings;
    }

    /// <summary>
    /// Applies a key read by <paramref name="read"/>: its value replaces the base's unless it
    /// equals the reimplementation's (the shipped default, so "not set" by the user).
    /// </summary>
    static Key Entry<T>(string name, Func<Config, string, T> read, Func<PpoSettings, T> get, Func<PpoSettings, T, PpoSettings> set, Func<T, T, bool> same) =>
        new(name, (config, path, settings) =>
        {
            var value = read(config, path);
            return same(value, get(PpoSettings.Reimplementation)) ? settings : set(settings, value);
        });

    static Key Number(string name, double min, double max, Func<PpoSettings, double> get, Func<PpoSettings, double, PpoSettings> set) =>
        Entry(name, (config, path) => InRange(path, ExperimentSettings.Double(config, path), min, max), get, set, (a, b) => a == b);

    static Key Positive(string name, Func<PpoSettings, double> get, Func<PpoSettings, double, PpoSettings> set) =>
        Entry(name, (config, path) => PositiveValue(path, ExperimentSettings.Double(config, path)), get, set, (a, b) => a == b);

    static Key OptionalPositive(string name, Func<PpoSettings, double?> get, Func<PpoSettings, double?, PpoSettings> set) =>
        Entry(name, (config, path) => string.Equals(ExperimentSettings.String(config, path), None, StringComparison.OrdinalIgnoreCase)
            ? (double?)null
            : PositiveValue(path, ExperimentSettings.Double(config, path)), get, set, (a, b) => a == b);

    static Key Count(string name, Func<PpoSettings, int> get, Func<PpoSettings, int, PpoSettings> set) =>
        Entry(name, (config, path) => ExperimentSettings.Int(config, path, 1), get, set, (a, b) => a == b);

    static Key Switch(string name, Func<PpoSettings, bool> get, Func<PpoSettings, bool, PpoSettings> set) =>
        Entry(name, (config, path) => ExperimentSettings.String(config, path).ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            var other => throw new InputException($"{path} must be on or off, got '{other}'"),
        }, get, set, (a, b) => a == b);

    static Key Widths(string name, Func<PpoSettings, IReadOnlyList<int>> get, Func<PpoSettings, IReadOnlyList<int>, PpoSettings> set) =>
        Entry(name, (config, path) =>
        {
            var widths = ExperimentSettings.Doubles(config, path);
            if (widths.Length == 0 || widths.Any(w => w < 1 || w != Math.Floor(w) || w > 65_536))
                throw new InputException($"{path} must be a non-empty list of positive integers, e.g. [32, 32]");
            return (IReadOnlyList<int>)widths.Select(w => (int)w).ToArray();
        }, get, set, (a, b) => a.SequenceEqual(b));

    static double InRange(string path, double value, double min, double max) =>
        value >= min && value <= max
            ? value
            : throw new InputException(string.Create(CultureInfo.InvariantCulture,
                $"{path} must be {(max == double.MaxValue ? $">= {min}" : $"in [{min}, {max}]")}, got {value}"));

    static double PositiveValue(string path, double value) =>
        value > 0 ? value : throw new InputException(string.Create(CultureInfo.InvariantCulture, $"{path} must be positive, got {value}"));
}
