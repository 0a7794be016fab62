using Akka.Actor;
using Akka.Cluster;
using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Control;

/// <summary>Turns the ADDRESS a user typed into a member's address: a full address or the <c>host:port</c> shorthand.</summary>
public static class MemberAddress
{
    /// <summary>
    /// <paramref name="text"/> as an address: <c>akka.tcp://alrs@10.0.0.5:4053</c>, or
    /// <c>10.0.0.5:4053</c> with this node's protocol and system name.
    /// </summary>
    public static Address Parse(string text, Address self)
    {
        try
        {
            if (text.Contains("://", StringComparison.Ordinal)) return Address.Parse(text);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException)
        {
            throw new UsageException($"'{text}' is not an address ({e.Message}); use akka.tcp://SYSTEM@HOST:PORT or HOST:PORT");
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new UsageException($"'{text}' is not an address; use akka.tcp://SYSTEM@HOST:PORT or HOST:PORT");
        return new Address(self.Protocol, self.System, text[..colon].Trim('[', ']'), port);
    }

    /// <summary>The member at <paramref name="text"/>; throws naming the members when there is none.</summary>
    public static Member Find(Cluster cluster, string text)
    {
        var address = Parse(text, cluster.SelfAddress);
        var members = cluster.State.Members.Concat(cluster.State.Unreachable).ToArray();
        return members.FirstOrDefault(m => m.Address == address)
               ?? throw new ControlCommandException(
                   $"no member {address}; members: {string.Join(", ", members.Select(m => m.Address.ToString()).Distinct().Order())}");
    }
}
