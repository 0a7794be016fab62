using Akka.Configuration;
using Akka.Configuration.Hocon;
using Alrs.Learning;

namespace Alrs.Actors;

/// <summary>
/// One controller's configuration variant (<c>alrs.population.variants</c>, a HOCON object
/// overlaid on <c>alrs</c> for that controller): its leaf keys relative to <c>alrs</c> with their
/// values as written, e.g. <c>env.action-factor = 2</c>. Only what makes a controller may vary:
/// <c>ppo.*</c> and the controller's own environment keys (<see cref="EnvironmentKeys"/>, the ones
/// a policy blob records), never the child problem the controllers are selected on.
/// </summary>
/// <param name="Entries">Each leaf: its key, its value as shown, and the value as HOCON (quoted).</param>
public sealed record PopulationVariant(IReadOnlyList<(string Key, string Value, string Hocon)> Entries)
{
    public static readonly PopulationVariant None = new([]);

    /// <summary>The alrs.env keys a variant may set: what observes, acts and is rewarded (ControllerSpec's).</summary>
    public static readonly IReadOnlyList<string> EnvironmentKeys =
        ["observation", "observe-progress", "action", "action-factor", "reward", "residual-base", "residual-cap"];

    /// <summary><c>env.action-factor = 2, ppo.clip-coefficient = 0.1</c>; empty for none.</summary>
    public string Description => string.Join(", ", Entries.Select(e => $"{e.Key} = {e.Value}"));

    /// <summary><paramref name="config"/> with this variant over its <c>alrs</c> section.</summary>
    public Config Over(Config config)
    {
        if (Entries.Count == 0) return config;
        var text = string.Join("\n", Entries.Select(e => $"alrs.{e.Key} = {e.Hocon}"));
        return ConfigurationFactory.ParseString(text).WithFallback(config);
    }

    /// <summary>
    /// Variant <paramref name="index"/> of <c>alrs.population.variants</c>: every leaf must be
    /// an existing key of <paramref name="config"/> that may vary (one line naming it otherwise).
    /// </summary>
    public static PopulationVariant Parse(HoconValue value, int index, Config config)
    {
        var name = $"alrs.population.variants[{index}]";
        if (!value.IsObject()) throw new InputException($"{name} must be an object of alrs keys, e.g. {{ env.action-factor = 2 }}, got '{value}'");
        var entries = new List<(string, string, string)>();
        Flatten(value, "", entries);
        foreach (var (key, _, _) in entries)
        {
            if (!config.HasPath("alrs." + key))
                throw new InputException($"{name}: {key} is not a configuration key (alrs.{key} is not defined; see hocon/experiment.hocon)");
            var mayVary = key.StartsWith("ppo.", StringComparison.Ordinal)
                          || (key.StartsWith("env.", StringComparison.Ordinal) && EnvironmentKeys.Contains(key["env.".Length..]));
            if (!mayVary)
                throw new InputException($"{name}: {key} may not differ between controllers (only ppo.* and env.{string.Join(", env.", EnvironmentKeys)}: the controllers are selected on one child problem)");
        }
        return new PopulationVariant(entries);
    }

    static void Flatten(HoconValue value, string path, List<(string, string, string)> entries)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items.OrderBy(i => i.Key, StringComparer.Ordinal))
                Flatten(child, path.Length == 0 ? key : $"{path}.{key}", entries);
        }
        else if (value.IsArray())
        {
            var items = value.GetArray().Select(item => item.GetString() ?? "").ToArray();
            entries.Add((path, "[" + string.Join(", ", items) + "]", "[" + string.Join(", ", items.Select(Quote)) + "]"));
        }
        else
        {
            var text = value.GetString() ?? "";
            entries.Add((path, text, Quote(text)));
        }
    }

    static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
