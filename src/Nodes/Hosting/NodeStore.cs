using Akka.Configuration;
using Alrs.Actors;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Points a node's persistence plugins at its policy store, the same way as <c>alrs train</c>
/// (<see cref="TrainingSystem.ForRun"/>: one mechanism): <c>alrs.store.connection-string</c>
/// and <c>provider-name</c>. With ALRS_POSTGRES that is the shared PostgreSQL database
/// (hocon/persistence-postgres.hocon sets the provider); without it, a SQLite file in
/// <c>alrs.train.out</c> (default <see cref="DefaultDirectory"/>), which only suits a
/// cluster with a single learner node.
/// </summary>
public static class NodeStore
{
    public const string DefaultDirectory = "runs/cluster";

    public static Config Configure(Config config)
    {
        var settings = ActorSettings.FromConfig(config);
        return TrainingSystem.ForRun(config, settings, Directory(config));
    }

    /// <summary>The folder of the SQLite store (unused with PostgreSQL).</summary>
    public static string Directory(Config config)
    {
        var runDirectory = config.GetString("alrs.train.out", "");
        return Path.GetFullPath(string.IsNullOrWhiteSpace(runDirectory) ? DefaultDirectory : runDirectory);
    }

    /// <summary>Whether the store is the SQLite file (no connection string given).</summary>
    public static bool IsLocal(Config config) => string.IsNullOrEmpty(config.GetString("alrs.store.connection-string", ""));
}
