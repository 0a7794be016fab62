using Akka.Configuration;
using Alrs.Learning;

namespace Alrs.Actors;

/// <summary>
/// A population of controllers trained in one run (<c>alrs.population.*</c>, documented in
/// hocon/population.hocon): how many, each one's configuration variant, and the seed their
/// latest versions are selected on.
/// </summary>
public sealed record PopulationSettings
{
    /// <summary>Controllers trained side by side; 1 = a single learner, exactly as without a population.</summary>
    public int Controllers { get; init; } = 1;
    /// <summary>Most controllers a population may have; receivers refuse controller ids beyond it.</summary>
    public const int MaxControllers = 64;
    /// <summary>Child seed every controller is run on from each start when the winner is selected.</summary>
    public int SelectionSeed { get; init; } = 100;

    /// <summary>Controller k's variant over the run's configuration; empty = every controller runs the run's configuration.</summary>
    public IReadOnlyList<PopulationVariant> Variants { get; init; } = [];

    /// <summary><c>select</c> (train side by side, select when training ends) or <c>pbt</c> (population-based training, then select).</summary>
    public string Mode { get; init; } = SelectMode;
    public const string SelectMode = "select", PbtMode = "pbt";

    /// <summary>Population-based training's settings (read only in pbt mode; the defaults otherwise).</summary>
    public PbtSettings Pbt { get; init; } = new();

    public bool IsPopulation => Controllers > 1;

    public bool IsPbt => Mode == PbtMode;

    /// <summary>Controller k's variant (<see cref="PopulationVariant.None"/> without variants).</summary>
    public PopulationVariant VariantOf(int controller) => controller < Variants.Count ? Variants[controller] : PopulationVariant.None;

    /// <summary>Controller k's configuration: the run's, with its variant over <c>alrs</c>.</summary>
    public Config ConfigOf(Config config, int controller) => VariantOf(controller).Over(config);

    /// <summary>Directory-safe name of controller k: <c>c0</c>, <c>c1</c>, …</summary>
    public static string Name(int controller) => $"c{controller}";

    /// <summary>
    /// Controller k's policy store: the run's own persistence id when there is one controller
    /// (old run directories resume unchanged), <c>ID-cK</c> in a population.
    /// </summary>
    public string PersistenceIdOf(string persistenceId, int controller) =>
        IsPopulation ? $"{persistenceId}-{Name(controller)}" : persistenceId;

    /// <summary>Learner k's settings: its controller id, its store and PPO seed learner-seed + k.</summary>
    public ActorSettings SettingsOf(ActorSettings settings, int controller) => settings with
    {
        Controller = controller,
        LearnerSeed = unchecked(settings.LearnerSeed + controller),
        PersistenceId = PersistenceIdOf(settings.PersistenceId, controller),
        Variant = VariantOf(controller).Description,
    };

    public static PopulationSettings FromConfig(Config config)
    {
        const string p = "alrs.population.";
        var controllers = Int(config, p + "controllers", 1, MaxControllers);
        // Absent in configurations written before population-based training existed: select.
        var mode = config.HasPath(p + "mode") ? config.GetString(p + "mode") : SelectMode;
        if (mode is not (SelectMode or PbtMode)) throw new InputException($"{p}mode must be {SelectMode} or {PbtMode}, got '{mode}'");
        if (mode == PbtMode && controllers < 2)
            throw new InputException($"{p}mode = {PbtMode} needs a population: set {p}controllers (--controllers) to 2 or more, got {controllers}");
        var pbt = mode == PbtMode ? PbtSettings.FromConfig(config) : new PbtSettings();
        var variants = ReadVariants(config, controllers);
        if (mode == PbtMode) RefuseVariantsPbtCannotExploit(variants, pbt);
        return new PopulationSettings
        {
            Controllers = controllers,
            SelectionSeed = Int(config, p + "selection-seed", 0, int.MaxValue),
            Variants = variants,
            Mode = mode,
            Pbt = pbt,
        };
    }

    /// <summary>
    /// An exploit copies another controller's weights, statistics and controller spec: in pbt mode
    /// a variant may only start a controller at other values of the explored hyperparameters
    /// (anything else would be changed by the first exploit, or not fit the copied weights).
    /// </summary>
    static void RefuseVariantsPbtCannotExploit(IReadOnlyList<PopulationVariant> variants, PbtSettings pbt)
    {
        var allowed = pbt.Explore.Select(b => "ppo." + b.Key).ToArray();
        for (var k = 0; k < variants.Count; k++)
            foreach (var (key, _, _) in variants[k].Entries)
                if (!allowed.Contains(key))
                    throw new InputException($"alrs.population.variants[{k}]: {key} may not differ between controllers in pbt mode (only the explored {string.Join(", ", allowed)}: an exploit copies another controller's weights and settings)");
    }

    /// <summary>alrs.population.variants: empty, or one object per controller (one line naming what is wrong otherwise).</summary>
    static IReadOnlyList<PopulationVariant> ReadVariants(Config config, int controllers)
    {
        const string key = "alrs.population.variants";
        if (!config.HasPath(key)) return [];
        var value = config.GetValue(key);
        var notAList = $"{key} must be a list of objects, one per controller, e.g. [{{ env.action-factor = 2 }}, {{ ppo.clip-coefficient = 0.1 }}]";
        // HOCON's empty list reads as an empty value (not an array) in Akka's parser.
        if (value is null || value.IsEmpty) return [];
        if (value.IsString() || value.IsObject()) throw new InputException(notAList);
        IList<Akka.Configuration.Hocon.HoconValue> items;
        try
        {
            items = value.GetArray();
        }
        catch (Exception e)
        {
            throw new InputException(notAList, e);
        }
        if (items.Count == 0) return [];
        if (items.Count != controllers)
            throw new InputException($"{key} lists {items.Count} variants for {controllers} controllers (alrs.population.controllers): give one per controller, or none");
        return items.Select((item, k) => PopulationVariant.Parse(item, k, config)).ToArray();
    }

    static int Int(Config config, string key, int min, int max)
    {
        if (!config.HasPath(key)) throw new InputException($"configuration key {key} is missing (see hocon/population.hocon)");
        int value;
        try { value = config.GetInt(key); }
        catch (Exception e) { throw new InputException($"{key} must be an integer in [{min}, {max}], got '{config.GetString(key)}'", e); }
        if (value < min || value > max) throw new InputException($"{key} must be in [{min}, {max}], got {value}");
        return value;
    }
}
