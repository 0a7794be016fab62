using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Baselines;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Networks;

namespace Alrs.Nodes.Configuration;

/// <summary>
/// What a run trains on: a built-in data set (<see cref="Dataset"/>, from the data directory,
/// <see cref="ValidationSize"/> held out) or one of one's own (<see cref="OwnData"/>), and the
/// child network's architecture.
/// </summary>
public sealed record ChildProblem(DatasetInfo? Dataset, OwnDataset? OwnData, ChildArchitecture Network, int ValidationSize, string DataDir)
{
    public ChildProblem(DatasetInfo dataset, string architecture, int validationSize, string dataDir)
        : this(dataset, null, ChildArchitecture.BuiltIn(architecture), validationSize, dataDir)
    {
    }

    /// <summary>The data set's name: a built-in one's, or the name of one's own (alrs.env.own-data.name, else its file or folder name).</summary>
    public string DatasetName => OwnData?.Name ?? Dataset!.Name;

    public string Architecture => Network.Name;

    /// <summary>
    /// Reads the data set into its three splits and builds the network once for its shape and
    /// class count; a bad file or a network the data cannot pass through fails here (exit 2,
    /// naming it), before anything is written.
    /// </summary>
    public DatasetSplits Load()
    {
        var data = OwnData is null ? DatasetLoader.Load(Dataset!, DataDir, ValidationSize) : OwnDatasetLoader.Load(OwnData);
        try
        {
            ChildNetworks.Check(Network, data.Channels, data.Height, data.Width, data.Classes);
            return data;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Where the data comes from, for a log line.</summary>
    public string Source => OwnData is null ? DataDir : $"{OwnData.Path} ({OwnData.FormatName})";
}

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
    const string Env = "alrs.env", Baselines = "alrs.baselines", Own = "alrs.env.own-data", Networks = "alrs.networks";

    public static ChildProblem Problem(Config config)
    {
        var path = config.GetString($"{Env}.dataset-path", "")?.Trim() ?? "";
        var own = path.Length > 0 ? OwnData(config, path) : null;
        var dataset = own is null ? DatasetInfo.Parse(String(config, $"{Env}.dataset")) : null;
        var network = Architecture(config, String(config, $"{Env}.arch"));
        var dir = config.GetString("alrs.data.dir", "");
        return new ChildProblem(dataset, own, network, Int(config, $"{Env}.validation-size", 1, 30_000),
            Path.GetFullPath(string.IsNullOrWhiteSpace(dir) ? DataDirectory.Default : dir));
    }

    /// <summary>A data set of one's own: alrs.env.dataset-path, alrs.env.dataset-format and alrs.env.own-data.</summary>
    static OwnDataset OwnData(Config config, string path)
    {
        var formatText = config.GetString($"{Env}.dataset-format", "")?.Trim() ?? "";
        if (formatText.Length == 0)
            throw new InputException($"{Env}.dataset-format (--format) must be one of {string.Join(", ", OwnDataset.FormatNames)} when {Env}.dataset-path is set");
        var format = OwnDataset.ParseFormat(formatText, $"{Env}.dataset-format");
        var full = Path.GetFullPath(path);
        var name = config.GetString($"{Own}.name", "")?.Trim() is { Length: > 0 } given ? given : OwnDataset.DefaultName(full);
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new InputException($"{Own}.name: '{name}' must be letters, digits, '-', '_' or '.' (it names run directories); set {Own}.name");
        var testPath = config.GetString($"{Own}.test-path", "")?.Trim() is { Length: > 0 } test ? Path.GetFullPath(test) : null;
        var separator = config.GetString($"{Own}.csv.separator", ",") ?? ",";
        if (separator.Length != 1) throw new InputException($"{Own}.csv.separator must be one character, got '{separator}'");
        return new OwnDataset(name, full, format)
        {
            TestPath = testPath,
            TestFraction = Fraction(config, $"{Own}.test-fraction"),
            ValidationFraction = Fraction(config, $"{Own}.validation-fraction"),
            Classes = Int(config, $"{Own}.classes", 0, 100_000),
            Csv = new CsvLayout(Enum<CsvHeader>(config, $"{Own}.csv.header"), String(config, $"{Own}.csv.label-column"), separator[0]),
            Images = new ImageFolderLayout(Int(config, $"{Own}.image.size", 0, 4096),
                Int(config, $"{Own}.image.channels", 1, 3) is var channels && channels != 2 ? channels : throw new InputException($"{Own}.image.channels must be 1 (grey) or 3 (RGB), got 2")),
        };
    }

    /// <summary>
    /// A built-in architecture, or one described under alrs.networks.NAME as a list of layers
    /// ("conv 16 3", "maxpool 2", "linear 64", ...).
    /// </summary>
    public static ChildArchitecture Architecture(Config config, string name)
    {
        var described = config.HasPath(Networks) ? config.GetConfig(Networks).Root.GetObject().Items.Keys.Order(StringComparer.Ordinal).ToArray() : [];
        var builtInRedefined = described.FirstOrDefault(ChildNetworks.Architectures.Contains);
        if (builtInRedefined is not null)
            throw new InputException($"{Networks}.{builtInRedefined}: {builtInRedefined} is a built-in architecture; give the described network another name");
        if (ChildNetworks.Architectures.Contains(name)) return ChildArchitecture.BuiltIn(name);
        if (!described.Contains(name))
            throw new InputException($"{Env}.arch: unknown architecture '{name}' (built in: {string.Join(", ", ChildNetworks.Architectures)}; " +
                                     $"described in {Networks}: {(described.Length == 0 ? "none" : string.Join(", ", described))})");
        var path = $"{Networks}.{name}";
        IList<string> entries;
        try
        {
            entries = config.GetStringList(path);
        }
        catch (Exception e) when (e is not InputException)
        {
            throw new InputException($"{path} must be a list of layers, e.g. [\"conv 16 3\", \"maxpool 2\", \"linear 64\"]", e);
        }
        return new ChildArchitecture(name, [.. entries.Select((entry, i) => NetworkLayer.Parse(entry, $"{path}[{i}]"))]);
    }

    static double Fraction(Config config, string path)
    {
        var value = Double(config, path);
        return value is > 0 and < 1 ? value : throw new InputException($"{path} must be a number in (0, 1), got {value.ToString(CultureInfo.InvariantCulture)}");
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
            ResidualCap = Cap(config, $"{Env}.residual-cap"),
            Device = String(config, $"{Env}.device"),
            Seed = Int(config, $"{Env}.seed", 0),
            ChildSeedPool = Int(config, $"{Env}.child-seed-pool", 0),
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

    /// <summary>The residual action's late cap ("off" or "FROM:MAX"), an error naming <paramref name="path"/>.</summary>
    static ResidualCap Cap(Config config, string path)
    {
        var text = config.GetString(path, "off") ?? "off";
        try
        {
            return ResidualCap.Parse(text);
        }
        catch (InputException)
        {
            throw new InputException($"{path} must be off or FROM:MAX with 0 < FROM < 1 and MAX > 0 (e.g. \"0.7:1\"), got '{text}'");
        }
    }

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
