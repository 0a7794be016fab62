using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Baselines;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Networks;

namespace Alrs.Nodes.Configuration;

/// <summary>What a run trains on: data set, architecture, validation split, data directory.</summary>
public sealed record ChildProblem(DatasetInfo Dataset, string Architecture, int ValidationSize, string DataDir);

/// <summary>The settings of <c>alrs baselines</c> beyond the environment's.</summary>
public sealed record BaselineSettings(int Seeds, int ValidationSamples, BaselineGrid Grid, string Out)
{
    /// <summary>Where <c>alrs train</c> keeps baseline runs between processes (alrs.baselines.cache-dir); null when alrs.baselines.cache is off.</summary>
    public string? CacheDirectory { get; init; }
}

/// <summary>
/// Maps the loaded configuration (hocon/experiment.hocon, presets, flag overrides) onto the
/// learning library's settings records. Every value is checked here, so a bad key fails
/// with its HOCON path before anything trains.
/// </summary>
public static class ExperimentSettings
{
    const string Env = "alrs.env", Baselines = "alrs.baselines";

    public static ChildProblem Problem(Config config)
    {
        var dataset = DatasetInfo.Parse(String(config, $"{Env}.dataset"));
        var arch = String(config, $"{Env}.arch");
        if (!ChildNetworks.Architectures.Contains(arch))
            throw new InputException($"{Env}.arch: unknown architecture '{arch}' (known: {string.Join(", ", ChildNetworks.Architectures)})");
        var dir = config.GetString("alrs.data.dir", "");
        return new ChildProblem(dataset, arch, Int(config, $"{Env}.validation-size", 1, 30_000),
            Path.GetFullPath(string.IsNullOrWhiteSpace(dir) ? DataDirectory.Default : dir));
    }

    /// <summary>The environment's settings; <see cref="EnvironmentSettings.Evaluation"/> is left to the caller.</summary>
    public static EnvironmentSettings Environment(Config config)
    {
        var settings = new EnvironmentSettings
        {
            Steps = Int(config, $"{Env}.steps", 1),
            BatchSize = Int(config, $"{Env}.batch-size", 1),
            DecisionInterval = Int(config, $"{Env}.decision-interval", 1),
            Optimizer = Enum<ChildOptimizer>(config, $"{Env}.optimizer"),
            Momentum = Double(config, $"{Env}.momentum"),
            InitialLearningRate = Double(config, $"{Env}.initial-lr"),
            InitialLearningRateChoices = Doubles(config, $"{Env}.initial-lr-choices"),
            MinLearningRate = Double(config, $"{Env}.min-lr"),
            MaxLearningRate = Double(config, $"{Env}.max-lr"),
            ValidationSamples = Int(config, $"{Env}.validation-samples", 1),
            EvaluationBatchSize = Int(config, $"{Env}.evaluation-batch-size", 1),
            Reward = Enum<RewardMode>(config, $"{Env}.reward"),
            DivergencePenalty = Double(config, $"{Env}.divergence-penalty"),
            LearningRateNoiseStd = Double(config, $"{Env}.lr-noise-std"),
            LearningRateRelativeNoiseStd = Double(config, $"{Env}.lr-noise-relative-std"),
            InitialLearningRateRelativeNoise = Double(config, $"{Env}.initial-lr-noise"),
            Observation = String(config, $"{Env}.observation"),
            ObserveProgress = OnOff(config, $"{Env}.observe-progress"),
            Action = String(config, $"{Env}.action"),
            ActionFactor = Double(config, $"{Env}.action-factor"),
            ResidualBase = config.GetString($"{Env}.residual-base", "")?.Trim() ?? "",
            Device = String(config, $"{Env}.device"),
            Seed = Int(config, $"{Env}.seed", 0),
        };
        try
        {
            return settings.Validate();
        }
        catch (InputException e)
        {
            throw new InputException($"{Env}: {e.Message}", e);
        }
    }

    public static BaselineSettings BaselineRuns(Config config) => new(
        Int(config, $"{Baselines}.seeds", 1, 1000),
        Int(config, $"{Baselines}.validation-samples", 1),
        Grid(config),
        config.GetString($"{Baselines}.out", ""))
    {
        CacheDirectory = OnOff(config, $"{Baselines}.cache")
            ? Path.GetFullPath(config.GetString($"{Baselines}.cache-dir", "") is { Length: > 0 } dir ? dir : BaselineCache.DefaultDirectory)
            : null,
    };

    static BaselineGrid Grid(Config config)
    {
        var families = Families(config.HasPath($"{Baselines}.families") ? config.GetStringList($"{Baselines}.families") : BaselineGrid.AllFamilies, $"{Baselines}.families");
        var explore = Fractions(config, $"{Baselines}.knee.explore-fractions");
        var warmup = Fractions(config, $"{Baselines}.knee.warmup-fractions");
        if (warmup.Max() > explore.Min())
            throw new InputException($"{Baselines}.knee.warmup-fractions must not exceed the smallest explore fraction ({explore.Min().ToString(CultureInfo.InvariantCulture)})");
        return new BaselineGrid
        {
            Families = families,
            InitialRates = Positive(Doubles(config, $"{Baselines}.initial-lrs"), $"{Baselines}.initial-lrs"),
            DecayEvery = Positive(Doubles(config, $"{Baselines}.decay-every"), $"{Baselines}.decay-every").Select(v => (int)v).ToArray(),
            DecayFactors = Positive(Doubles(config, $"{Baselines}.decay-factors"), $"{Baselines}.decay-factors"),
            KneeExploreFractions = explore,
            KneeWarmupFractions = warmup,
            HypergradientAdamBetas = Positive(Doubles(config, $"{Baselines}.hypergradient.adam-betas"), $"{Baselines}.hypergradient.adam-betas"),
            HypergradientSgdBetas = Positive(Doubles(config, $"{Baselines}.hypergradient.sgd-betas"), $"{Baselines}.hypergradient.sgd-betas"),
            Probe = new ProbeTunerSettings
            {
                Every = Int(config, $"{Baselines}.probe.every", 1),
                Steps = Int(config, $"{Baselines}.probe.steps", 1),
                Factor = Double(config, $"{Baselines}.probe.factor") is var factor && factor > 1
                    ? factor : throw new InputException($"{Baselines}.probe.factor must be > 1, got {factor.ToString(CultureInfo.InvariantCulture)}"),
                ValidationSamples = Int(config, $"{Baselines}.probe.validation-samples", 1),
            },
        };
    }

    /// <summary>Baseline families by name, checked against <see cref="BaselineGrid.AllFamilies"/>; <paramref name="source"/> names the key or flag in the error.</summary>
    public static string[] Families(IEnumerable<string> names, string source)
    {
        var families = names.Select(f => f.Trim()).Where(f => f.Length > 0).Distinct().ToArray();
        var unknown = families.FirstOrDefault(f => !BaselineGrid.AllFamilies.Contains(f));
        if (families.Length == 0 || unknown is not null)
            throw new InputException($"{source} must list some of {string.Join(", ", BaselineGrid.AllFamilies)}{(unknown is null ? "" : $"; unknown '{unknown}'")}");
        return families;
    }

    static double[] Fractions(Config config, string path)
    {
        var values = Doubles(config, path);
        return values.Length > 0 && values.All(v => v is >= 0 and <= 1) ? values : throw new InputException($"{path} must be a non-empty list of numbers in [0, 1]");
    }

    internal static string String(Config config, string path)
    {
        var value = config.HasPath(path) ? config.GetString(path) : null;
        return string.IsNullOrWhiteSpace(value) ? throw new InputException($"{path} is missing or empty") : value.Trim();
    }

    internal static int Int(Config config, string path, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = String(config, path);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new InputException($"{path} must be an integer, got '{text}'");
        if (value < min || value > max) throw new InputException($"{path} must be in [{min}, {max}], got {value}");
        return value;
    }

    internal static double Double(Config config, string path)
    {
        var text = String(config, path);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new InputException($"{path} must be a number, got '{text}'");
    }

    internal static bool OnOff(Config config, string path) => OnOff(String(config, path), path);

    internal static bool OnOff(string text, string path) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        var other => throw new InputException($"{path} must be on or off, got '{other}'"),
    };

    internal static double[] Doubles(Config config, string path)
    {
        if (!config.HasPath(path)) throw new InputException($"{path} is missing");
        IList<string> items;
        try
        {
            items = config.GetStringList(path);
        }
        catch (Exception e) when (e is not InputException)
        {
            throw new InputException($"{path} must be a list of numbers, e.g. [0.1, 0.01]", e);
        }
        return items.Select(text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new InputException($"{path} must be a list of numbers, got item '{text}'")).ToArray();
    }

    static double[] Positive(double[] values, string path) =>
        values.Length > 0 && values.All(v => v > 0) ? values : throw new InputException($"{path} must be a non-empty list of positive numbers");

    static T Enum<T>(Config config, string path) where T : struct, System.Enum
    {
        var text = String(config, path);
        return System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new InputException($"{path}: unknown value '{text}' (known: {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))})");
    }
}
