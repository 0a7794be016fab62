using Akka.Configuration;
using Alrs.Learning;

namespace Alrs.Nodes.Configuration;

/// <summary>
/// Loads alrs' configuration: every <c>hocon/*.hocon</c> file shipped beside the
/// executable (each documents the keys it defines), then an optional preset from
/// <c>hocon/presets/NAME.hocon</c>, then an optional user file (<c>--config FILE</c>), then
/// overrides (CLI flags, as HOCON paths) on top.
/// </summary>
public static class AlrsConfig
{
    /// <summary>The folder holding the shipped HOCON files.</summary>
    public static string HoconDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary>Base files in load order; later files may refer to earlier ones' keys.</summary>
    static readonly string[] BaseFiles = ["experiment.hocon", "actors.hocon", "persistence.hocon", "population.hocon"];

    /// <param name="withDefaults">
    /// False leaves out the shipped base files: only what the preset, the user's file and the flags
    /// set, to tell a user's explicit choice from a default.
    /// </param>
    public static Config Load(string? preset = null, IReadOnlyDictionary<string, string>? overrides = null, string? hoconDirectory = null,
        string? configFile = null, bool withDefaults = true)
    {
        var directory = hoconDirectory ?? HoconDirectory;
        if (!Directory.Exists(directory))
            throw new InputException($"configuration folder {directory} is missing (the build copies hocon/ beside the executable)");

        var config = Config.Empty;
        foreach (var file in withDefaults ? BaseFiles : [])
        {
            var path = Path.Combine(directory, file);
            if (File.Exists(path)) config = Parse(path).WithFallback(config);
        }
        if (!string.IsNullOrEmpty(preset))
        {
            var path = Path.Combine(directory, "presets", preset + ".hocon");
            if (!File.Exists(path))
            {
                var presets = Path.Combine(directory, "presets");
                var known = Directory.Exists(presets)
                    ? Directory.GetFiles(presets, "*.hocon").Select(Path.GetFileNameWithoutExtension).Order().ToArray()
                    : [];
                throw new InputException($"unknown preset '{preset}' (known: {string.Join(", ", known)})");
            }
            config = Parse(path).WithFallback(config);
        }
        if (!string.IsNullOrEmpty(configFile))
        {
            // A user's experiment file: any alrs key, on top of the preset, under the flags.
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path)) throw new InputException($"--config {configFile}: no such file");
            config = Parse(path).WithFallback(config);
        }
        if (overrides is { Count: > 0 })
        {
            // Quote every value so paths and names survive HOCON parsing unchanged.
            var text = string.Join("\n", overrides.Select(o => $"{o.Key} = \"{o.Value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\""));
            config = ConfigurationFactory.ParseString(text).WithFallback(config);
        }
        return config;
    }

    static Config Parse(string path)
    {
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception e) when (e is not InputException)
        {
            throw new InputException($"{path}: {e.Message}", e);
        }
    }
}
