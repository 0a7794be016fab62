using Akka.Configuration;
using Alrs.Learning;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Secure by default for anything that leaves the machine: a node whose cluster port is bound
/// beyond loopback must use TLS, unless <c>--insecure</c> (<c>alrs.cluster.insecure</c>) says
/// otherwise out loud. Without TLS, any host that reaches the port can join the cluster and
/// send any of its actors any message.
/// </summary>
public static class ClusterExposure
{
    public const string InsecureKey = "alrs.cluster.insecure";

    /// <summary>Whether <c>alrs.cluster.insecure</c> is on.</summary>
    public static bool IsInsecure(Config config)
    {
        var text = (config.HasPath(InsecureKey) ? config.GetString(InsecureKey) ?? "" : "").Trim().ToLowerInvariant();
        return text switch
        {
            "on" or "true" or "yes" or "1" => true,
            "off" or "false" or "no" or "0" or "" => false,
            _ => throw new InputException($"{InsecureKey} must be on or off, got '{text}'"),
        };
    }

    /// <summary>
    /// The decision: null when the node may start quietly, else what to say. A refusal is
    /// thrown by <see cref="Check"/>; with <paramref name="insecure"/> the same facts become a warning.
    /// </summary>
    public static string? Exposure(ClusterSettings settings, int port)
    {
        if (settings.Tls is not null || LoopbackAddress.IsLoopback(settings.Host)) return null;
        return $"the cluster port {ClusterListen(settings.Host, port)} is reachable beyond this machine without TLS";
    }

    /// <summary>Refuses (exit 2, one line naming --tls and --insecure) or returns the warning to log (or null).</summary>
    public static string? Check(string command, ClusterSettings settings, int port, bool insecure)
    {
        if (Exposure(settings, port) is not { } exposure) return null;
        if (!insecure)
            throw new InputException(
                $"{exposure}: any host that reaches it could join the cluster and send its actors any message. " +
                "Pass --tls (certificate from `alrs cluster keys --out DIR`, ALRS_TLS_CERTIFICATE=DIR/cluster.pfx) or, on a network you trust, --insecure");
        return $"WARNING: alrs {command} --insecure: {exposure}. Node-to-node traffic is neither encrypted nor authenticated: " +
               "any host that reaches the port can join the cluster, read the policies and trajectories, and send any actor any message (scale, versions, faults)";
    }

    static string ClusterListen(string host, int port) => Control.ControlSettings.Format(host, port);
}
