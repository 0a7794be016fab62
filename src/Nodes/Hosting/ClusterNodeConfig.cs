using System.Collections;
using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Builds a cluster node's configuration: the base files (AlrsConfig) with an optional preset, then
/// hocon/persistence-postgres.hocon when ALRS_POSTGRES is set, hocon/cluster.hocon with
/// hocon/ctl.hocon (the command endpoint), hocon/tls.hocon when TLS is on, an optional --config
/// file, environment variables (<see cref="EnvironmentOverrides"/>) and overrides (flags) on
/// top, the policy store's plugins (<see cref="NodeStore"/>); then
/// the <c>akka.remote</c> / <c>akka.cluster</c> keys derived from <see cref="ClusterSettings"/>.
/// </summary>
public static class ClusterNodeConfig
{
    public const string ClusterFile = "cluster.hocon", TlsFile = "tls.hocon", PostgresFile = "persistence-postgres.hocon", CtlFile = "ctl.hocon";

    /// <summary>
    /// Loads every layer; <paramref name="overrides"/> are HOCON paths (e.g.
    /// <c>alrs.cluster.port</c>); <paramref name="environment"/> defaults to this process's.
    /// </summary>
    public static Config Load(IReadOnlyDictionary<string, string>? overrides = null, string? hoconDirectory = null, IDictionary? environment = null,
        string? preset = null, string? configFile = null)
    {
        var directory = hoconDirectory ?? AlrsConfig.HoconDirectory;
        var baseConfig = AlrsConfig.Load(preset, hoconDirectory: directory);
        var cluster = ParseFile(Path.Combine(directory, ClusterFile)).WithFallback(ParseFile(Path.Combine(directory, CtlFile)));
        if (configFile is not null) cluster = ParseFile(configFile).WithFallback(cluster);
        var layered = EnvironmentOverrides.From(environment);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) layered[key] = value;
        var top = layered.Count > 0 ? ParseOverrides(layered) : Config.Empty;

        // A shared PostgreSQL store replaces the single-node one when ALRS_POSTGRES names it.
        if (layered.ContainsKey(EnvironmentOverrides.PostgresConnectionKey))
            baseConfig = ParseFile(Path.Combine(directory, PostgresFile)).WithFallback(baseConfig);

        var config = top.WithFallback(cluster).WithFallback(baseConfig);
        if (ClusterSettings.IsTlsEnabled(config))
            config = top.WithFallback(ParseFile(Path.Combine(directory, TlsFile))).WithFallback(cluster).WithFallback(baseConfig);
        return NodeStore.Configure(config);
    }

    /// <summary>
    /// The actor system's configuration for one node: <paramref name="loaded"/> plus its
    /// listen address, advertised address and cluster roles.
    /// </summary>
    public static Config ForNode(Config loaded, ClusterSettings settings, IReadOnlyCollection<string> roles, bool isSeed)
    {
        var port = settings.ListenPort(isSeed);
        var publicHostname = AdvertisedHostname(settings);
        var text = $$"""
            akka.remote.dot-netty.tcp {
              hostname = {{Quote(settings.Host)}}
              port = {{port}}
              public-hostname = {{Quote(publicHostname)}}
            }
            akka.cluster.roles = [{{string.Join(", ", roles.Select(Quote))}}]
            """;
        return ConfigurationFactory.ParseString(text).WithFallback(loaded);
    }

    /// <summary>
    /// The host other nodes use: <c>public-hostname</c>, else <c>host</c>, else (for a
    /// wildcard bind) this machine's first IPv4 address, as a container needs.
    /// </summary>
    public static string AdvertisedHostname(ClusterSettings settings)
    {
        if (settings.PublicHostname.Length > 0) return settings.PublicHostname;
        if (settings.Host is not ("0.0.0.0" or "::" or "[::]")) return settings.Host;
        var hostName = Dns.GetHostName();
        var address = Dns.GetHostAddresses(hostName)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return address?.ToString()
               ?? throw new InputException($"alrs.cluster.host is {settings.Host} but this machine's name '{hostName}' has no non-loopback IPv4 address; set alrs.cluster.public-hostname (ALRS_PUBLIC_HOSTNAME)");
    }

    static Config ParseOverrides(IReadOnlyDictionary<string, string> overrides) =>
        ConfigurationFactory.ParseString(string.Join("\n", overrides.Select(o => $"{o.Key} = {Quote(o.Value)}")));

    static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    static Config ParseFile(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"configuration file {path} is missing (the build copies hocon/ beside the executable)");
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception e)
        {
            throw new InputException($"{path}: {e.Message}", e);
        }
    }
}
