using System.Net;

namespace Alrs.Nodes.Configuration;

/// <summary>
/// Whether a configured listen address keeps a port on this machine: <c>localhost</c>, 127.0.0.0/8
/// or ::1. Anything else (0.0.0.0, a host name, an interface's address) can be reached from
/// other machines, so the cluster port then needs TLS and the ctl endpoint a token.
/// </summary>
public static class LoopbackAddress
{
    public static bool IsLoopback(string host)
    {
        var trimmed = host.Trim().Trim('[', ']');
        if (trimmed.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(trimmed, out var address) && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
