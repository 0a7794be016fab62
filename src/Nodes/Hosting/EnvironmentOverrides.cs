using System.Collections;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Environment variables a container sets instead of flags, and the HOCON keys each one
/// overrides. Read here because Akka.NET's HOCON parser does not substitute
/// <c>${?VAR}</c> from the environment. Flags still win over these.
/// </summary>
public static class EnvironmentOverrides
{
    /// <summary>Variable name → the configuration keys it sets.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Variables = new Dictionary<string, string[]>
    {
        ["ALRS_HOST"] = ["alrs.cluster.host"],
        ["ALRS_PORT"] = ["alrs.cluster.port"],
        ["ALRS_PUBLIC_HOSTNAME"] = ["alrs.cluster.public-hostname"],
        ["ALRS_SEEDS"] = ["alrs.cluster.seeds"],
        ["ALRS_READY_FILE"] = ["alrs.cluster.ready-file"],
        ["ALRS_TLS"] = ["alrs.cluster.tls.enabled"],
        ["ALRS_TLS_CERTIFICATE"] = ["alrs.cluster.tls.certificate-path"],
        ["ALRS_TLS_CERTIFICATE_PASSWORD"] = ["alrs.cluster.tls.certificate-password"],
        ["ALRS_CTL_ENABLED"] = ["alrs.ctl.enabled"],
        ["ALRS_CTL_HOST"] = ["alrs.ctl.host"],
        ["ALRS_CTL_PORT"] = ["alrs.ctl.port"],
        ["ALRS_CTL_TOKEN"] = ["alrs.ctl.token"],
        ["ALRS_POSTGRES"] = [PostgresConnectionKey],
    };

    /// <summary>
    /// Set (from ALRS_POSTGRES) exactly when the node should use hocon/persistence-postgres.hocon;
    /// the store's journal and snapshot plugins take their connection string from it (TrainingSystem.ForRun).
    /// </summary>
    public const string PostgresConnectionKey = "alrs.store.connection-string";

    /// <summary>The overrides the given environment (default: this process's) asks for; unset or empty variables are skipped.</summary>
    public static Dictionary<string, string> From(IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, keys) in Variables)
            if (environment[variable] is string { Length: > 0 } value)
                foreach (var key in keys)
                    overrides[key] = value;
        return overrides;
    }
}
