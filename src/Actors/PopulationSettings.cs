using Akka.Configuration;
using Alrs.Learning;

namespace Alrs.Actors;

/// <summary>
/// A population of controllers trained in one run (<c>alrs.population.*</c>, documented in
/// hocon/population.hocon): how many, and the seed their latest versions are selected on.
/// </summary>
public sealed record PopulationSettings
{
    /// <summary>Controllers trained side by side; 1 = a single learner, exactly as without a population.</summary>
    public int Controllers { get; init; } = 1;
    /// <summary>Most controllers a population may have; receivers refuse controller ids beyond it.</summary>
    public const int MaxControllers = 64;
    /// <summary>Child seed every controller is run on from each start when the winner is selected.</summary>
    public int SelectionSeed { get; init; } = 100;

    public bool IsPopulation => Controllers > 1;

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
    };

    public static PopulationSettings FromConfig(Config config)
    {
        const string p = "alrs.population.";
        return new PopulationSettings
        {
            Controllers = Int(config, p + "controllers", 1, MaxControllers),
            SelectionSeed = Int(config, p + "selection-seed", 0, int.MaxValue),
        };
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
