using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;

namespace Alrs.Actors;

/// <summary>The range one explored hyperparameter stays in: <see cref="Min"/> &lt; <see cref="Max"/>, both positive.</summary>
public sealed record PbtBound(string Key, double Min, double Max);

/// <summary>
/// Population-based training (<c>alrs.population.pbt.*</c>, documented in
/// hocon/population.hocon). The defaults are Ray Tune's PopulationBasedTraining's: quantile
/// 0.25, resample probability 0.25, perturbation factors 0.8 and 1.2.
/// </summary>
public sealed record PbtSettings
{
    /// <summary>The factors an explored value is multiplied by, one of them drawn with equal odds (Ray Tune's).</summary>
    public static readonly IReadOnlyList<double> Factors = [0.8, 1.2];

    /// <summary>A controller is ranked after every this many of its own PPO updates.</summary>
    public int IntervalUpdates { get; init; } = 10;
    /// <summary>Share of the ranked controllers in the bottom (and in the top) quantile.</summary>
    public double Quantile { get; init; } = 0.25;
    /// <summary>Chance that an explored value is resampled from its bounds instead of multiplied by a factor.</summary>
    public double ResampleProbability { get; init; } = 0.25;
    /// <summary>The hyperparameters explored, each with its bounds.</summary>
    public IReadOnlyList<PbtBound> Explore { get; init; } =
    [
        new(PbtHyperparameters.LearningRate, 1e-4, 3e-2),
        new(PbtHyperparameters.ClipCoefficient, 0.05, 0.5),
        new(PbtHyperparameters.EntropyCoefficient, 1e-3, 0.5),
    ];

    /// <summary>alrs.population.pbt; one line naming the key for a bad value.</summary>
    public static PbtSettings FromConfig(Config config)
    {
        const string p = "alrs.population.pbt.";
        var interval = Number(config, p + "interval-updates");
        if (interval < 1 || interval != Math.Floor(interval) || interval > int.MaxValue)
            throw new InputException($"{p}interval-updates must be a whole number of updates, at least 1, got {Show(interval)}");
        var quantile = Number(config, p + "quantile");
        if (!(quantile > 0 && quantile <= 0.5))
            throw new InputException($"{p}quantile must be in (0, 0.5] (the bottom and the top quantile may not overlap), got {Show(quantile)}");
        var resample = Number(config, p + "resample-probability");
        if (!(resample >= 0 && resample <= 1))
            throw new InputException($"{p}resample-probability must be in [0, 1], got {Show(resample)}");
        return new PbtSettings
        {
            IntervalUpdates = (int)interval,
            Quantile = quantile,
            ResampleProbability = resample,
            Explore = ReadExplore(config),
        };
    }

    static IReadOnlyList<PbtBound> ReadExplore(Config config)
    {
        const string key = "alrs.population.pbt.explore";
        IList<string> names;
        try
        {
            // HOCON's empty list reads as an empty value (not an array) in Akka's parser.
            names = config.HasPath(key) && config.GetValue(key) is { IsEmpty: false } ? config.GetStringList(key) : [];
        }
        catch (Exception e)
        {
            throw new InputException($"{key} must be a list of alrs.ppo keys, e.g. [learning-rate, clip-coefficient]", e);
        }
        if (names.Count == 0) throw new InputException($"{key} must name at least one of {string.Join(", ", PbtHyperparameters.Names)}");
        var bounds = new List<PbtBound>();
        foreach (var name in names)
        {
            if (!PbtHyperparameters.Names.Contains(name))
                throw new InputException($"{key}: {name} cannot be explored (only {string.Join(", ", PbtHyperparameters.Names)}: what an update reads and may change between two)");
            if (bounds.Any(b => b.Key == name)) throw new InputException($"{key} names {name} twice");
            bounds.Add(ReadBound(config, name));
        }
        return bounds;
    }

    /// <summary>alrs.population.pbt.bounds.KEY = [min, max].</summary>
    static PbtBound ReadBound(Config config, string name)
    {
        var key = $"alrs.population.pbt.bounds.{name}";
        var shape = $"{key} must be [min, max] with 0 < min < max";
        if (!config.HasPath(key)) throw new InputException($"{key} is missing: every explored hyperparameter needs bounds ({shape})");
        double[] values;
        try
        {
            values = config.GetStringList(key).Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e)
        {
            throw new InputException($"{shape}, got '{config.GetValue(key)}'", e);
        }
        if (values.Length != 2 || !values.All(double.IsFinite)) throw new InputException($"{shape}, got [{string.Join(", ", values.Select(Show))}]");
        if (values[0] <= 0) throw new InputException($"{shape}: the min must be positive (values are explored on a log scale), got {Show(values[0])}");
        if (values[0] >= values[1]) throw new InputException($"{shape}: min {Show(values[0])} is not below max {Show(values[1])} (bounds inverted?)");
        return new PbtBound(name, values[0], values[1]);
    }

    static double Number(Config config, string key)
    {
        if (!config.HasPath(key)) throw new InputException($"configuration key {key} is missing (see hocon/population.hocon)");
        var text = config.GetString(key);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new InputException($"{key} must be a number, got '{text}'");
    }

    static string Show(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
