using Akka.Configuration;
using Alrs.Learning;

namespace Alrs.Nodes.Commands;

/// <summary>
/// A training run's directory: <c>config.hocon</c> (the effective <c>alrs</c> configuration,
/// written once when the run starts), <c>policies.db</c> (the policy store), the evaluated
/// policy as <c>policy-vN.alrspol</c> (for <c>alrs evaluate --policy DIR</c>) and evaluation
/// tables <c>evaluation-vN.txt</c>. A run is only ever created in an empty or new directory, so nothing persisted is
/// overwritten.
/// </summary>
public static class RunDirectory
{
    public const string ConfigFile = "config.hocon", StoreFile = "policies.db";

    /// <summary>Creates a new run directory; fails if <paramref name="path"/> already holds anything.</summary>
    public static string Create(string path, Config config)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new InputException($"run directory {full} already exists and is not empty; continue it with --resume {path} or choose another --out");
        Directory.CreateDirectory(full);
        Reporting.AtomicFile.WriteAllText(Path.Combine(full, ConfigFile),
            "# Effective configuration of this alrs train run (hocon files, preset and flags).\n" +
            Configuration.HoconWriter.Write(config, "alrs"));
        return full;
    }

    /// <summary>
    /// What a reader of someone else's run directory takes from its <c>config.hocon</c>: the
    /// problem and controller (<c>alrs.env</c>, <c>alrs.ppo</c>), its population (how many
    /// controllers' stores to read) and the name of the store's event stream. Never <c>akka.*</c> (remoting, serializers, plugins) nor the store's
    /// provider or connection string: a run directory from elsewhere must not point this
    /// process at another database or reconfigure its actor system.
    /// </summary>
    public static Config ControllerAndProblem(Config runConfig)
    {
        var text = new System.Text.StringBuilder();
        foreach (var path in (string[])["alrs.env", "alrs.ppo", "alrs.population", "alrs.store.persistence-id"])
            if (runConfig.HasPath(path)) text.Append(Configuration.HoconWriter.Write(runConfig, path));
        return ConfigurationFactory.ParseString(text.ToString());
    }

    /// <summary>Opens an existing run for <c>--resume</c>: its configuration, checked to be an alrs train run.</summary>
    public static (string Path, Config Config) Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new InputException($"run directory {full} does not exist");
        var configPath = Path.Combine(full, ConfigFile);
        if (!File.Exists(configPath) || !File.Exists(Path.Combine(full, StoreFile)))
            throw new InputException($"{full} is not an alrs train run directory (it needs {ConfigFile} and {StoreFile})");
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(File.ReadAllText(configPath));
        }
        catch (Exception e)
        {
            throw new InputException($"{configPath} is not readable HOCON: {e.Message}", e);
        }
        if (!config.HasPath("alrs.train.episodes") || !config.HasPath("alrs.env.dataset") || !config.HasPath("alrs.actors.learner.steps-per-update"))
            throw new InputException($"{configPath} is not the configuration of an alrs train run (alrs.train, alrs.env or alrs.actors is missing)");
        return (full, config);
    }
}
