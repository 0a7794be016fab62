using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Learning;

namespace Alrs.Nodes.Configuration;

/// <summary>How a TLS node decides to trust its peer's certificate (alrs.cluster.tls.validation).</summary>
public enum TlsValidation
{
    /// <summary>Only certificates with a listed thumbprint (default: this node's own).</summary>
    Pinned,

    /// <summary>Certificates that chain to a CA the machine trusts.</summary>
    Chain,
}

/// <summary>TLS settings of the remote transport (hocon/tls.hocon, <c>alrs.cluster.tls</c>).</summary>
public sealed record TlsSettings(
    string CertificatePath,
    string CertificatePassword,
    TlsValidation Validation,
    IReadOnlyList<string> TrustedThumbprints);

/// <summary>
/// Where a node listens, how others reach it and whom it joins: the <c>alrs.cluster</c>
/// section of hocon/cluster.hocon after environment variables and flags were applied.
/// </summary>
public sealed record ClusterSettings(
    string SystemName,
    string Host,
    int? Port,
    int SeedPort,
    string PublicHostname,
    IReadOnlyList<Address> Seeds,
    TimeSpan JoinTimeout,
    TlsSettings? Tls,
    string ReadyFile = "")
{
    const string Section = "alrs.cluster";

    /// <summary>Akka.Remote's scheme: TLS nodes speak <c>akka.ssl.tcp</c>, plain ones <c>akka.tcp</c>.</summary>
    public string Protocol => Tls is null ? "akka.tcp" : "akka.ssl.tcp";

    /// <summary>The port a node of this kind listens on: <c>port</c>, else the seed port or any free one.</summary>
    public int ListenPort(bool isSeed) => Port ?? (isSeed ? SeedPort : 0);

    /// <summary>Reads and validates <c>alrs.cluster</c>; bad values throw <see cref="InputException"/> naming the key.</summary>
    public static ClusterSettings FromConfig(Config config)
    {
        if (!config.HasPath(Section))
            throw new InputException($"configuration has no {Section} section (hocon/cluster.hocon was not loaded)");

        var systemName = RequiredString(config, "system-name");
        if (!systemName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || !char.IsAsciiLetterOrDigit(systemName[0]))
            throw new InputException($"{Section}.system-name must be letters, digits, '-' or '_' starting with a letter or digit, got '{systemName}'");

        var host = RequiredString(config, "host");
        var portText = OptionalString(config, "port");
        int? port = portText.Length == 0 ? null : ParsePort($"{Section}.port", portText);
        var seedPort = ParsePort($"{Section}.seed-port", OptionalString(config, "seed-port"));
        var publicHostname = OptionalString(config, "public-hostname");
        var tls = IsTlsEnabled(config) ? ReadTls(config) : null;
        var protocol = tls is null ? "akka.tcp" : "akka.ssl.tcp";
        var seeds = ParseSeeds(OptionalString(config, "seeds"), systemName, protocol);

        var joinTimeout = ReadDuration(config, "join-timeout");
        if (joinTimeout <= TimeSpan.Zero)
            throw new InputException($"{Section}.join-timeout must be positive, got {joinTimeout}");

        return new ClusterSettings(systemName, host, port, seedPort, publicHostname, seeds, joinTimeout, tls, OptionalString(config, "ready-file"));
    }

    /// <summary>Whether <c>alrs.cluster.tls.enabled</c> is on (on/off, true/false, yes/no, 1/0).</summary>
    public static bool IsTlsEnabled(Config config)
    {
        var text = config.HasPath($"{Section}.tls.enabled") ? config.GetString($"{Section}.tls.enabled") ?? "" : "";
        return text.Trim().ToLowerInvariant() switch
        {
            "" or "off" or "false" or "no" or "0" => false,
            "on" or "true" or "yes" or "1" => true,
            _ => throw new InputException($"{Section}.tls.enabled must be on or off, got '{text}'"),
        };
    }

    static TlsSettings ReadTls(Config config)
    {
        var path = OptionalString(config, "tls.certificate-path");
        if (path.Length == 0)
            throw new InputException($"TLS is enabled but {Section}.tls.certificate-path is empty (set ALRS_TLS_CERTIFICATE to a .pfx file)");
        var password = OptionalString(config, "tls.certificate-password");
        var validationText = OptionalString(config, "tls.validation");
        var validation = validationText switch
        {
            "pinned" => TlsValidation.Pinned,
            "chain" => TlsValidation.Chain,
            _ => throw new InputException($"{Section}.tls.validation must be pinned or chain, got '{validationText}'"),
        };
        var key = $"{Section}.tls.trusted-thumbprints";
        var thumbprints = config.HasPath(key) ? config.GetStringList(key).Select(NormalizeThumbprint).ToArray() : [];
        foreach (var thumbprint in thumbprints)
            if (thumbprint.Length != 40 || !thumbprint.All(char.IsAsciiHexDigit))
                throw new InputException($"{key} entries must be 40 hex digits (a SHA-1 thumbprint), got '{thumbprint}'");
        return new TlsSettings(path, password, validation, thumbprints);
    }

    /// <summary>Upper-case hex without separators, as <c>X509Certificate2.Thumbprint</c> spells it.</summary>
    public static string NormalizeThumbprint(string text) =>
        new string(text.Where(c => c is not (':' or ' ')).ToArray()).ToUpperInvariant();

    /// <summary>Parses a comma-separated seed list of <c>host:port</c> or full addresses.</summary>
    public static IReadOnlyList<Address> ParseSeeds(string text, string systemName, string protocol)
    {
        var seeds = new List<Address>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Address address;
            if (raw.Contains("://", StringComparison.Ordinal))
            {
                try
                {
                    address = Address.Parse(raw);
                }
                catch (Exception e)
                {
                    throw new InputException($"{Section}.seeds: '{raw}' is not an actor system address ({e.Message})", e);
                }
                if (address.Host is null || address.Port is null)
                    throw new InputException($"{Section}.seeds: '{raw}' lacks a host or port");
                if (address.System != systemName)
                    throw new InputException($"{Section}.seeds: '{raw}' names actor system '{address.System}' but {Section}.system-name is '{systemName}'");
                if (address.Protocol != protocol)
                    throw new InputException($"{Section}.seeds: '{raw}' uses {address.Protocol} but this node speaks {protocol} (TLS must be on for all nodes or none)");
            }
            else
            {
                var colon = raw.LastIndexOf(':');
                if (colon <= 0 || colon == raw.Length - 1)
                    throw new InputException($"{Section}.seeds: '{raw}' must be host:port");
                var port = ParsePort($"{Section}.seeds", raw[(colon + 1)..]);
                if (port == 0) throw new InputException($"{Section}.seeds: '{raw}' has port 0; a seed needs a fixed port");
                address = new Address(protocol, systemName, raw[..colon].Trim('[', ']'), port);
            }
            seeds.Add(address);
        }
        return seeds;
    }

    static int ParsePort(string key, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new InputException($"{key} must be a port number in [0, 65535], got '{text}'");
        return port;
    }

    static TimeSpan ReadDuration(Config config, string key)
    {
        try
        {
            return config.GetTimeSpan($"{Section}.{key}", null, allowInfinite: false);
        }
        catch (Exception e) when (e is not InputException)
        {
            throw new InputException($"{Section}.{key} must be a duration such as 30s, got '{config.GetString($"{Section}.{key}")}'", e);
        }
    }

    static string RequiredString(Config config, string key)
    {
        var value = OptionalString(config, key);
        return value.Length > 0 ? value : throw new InputException($"{Section}.{key} must not be empty");
    }

    static string OptionalString(Config config, string key) =>
        config.HasPath($"{Section}.{key}") ? (config.GetString($"{Section}.{key}") ?? "").Trim() : "";
}
