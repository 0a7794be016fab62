using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Control;

/// <summary>Where a node's command endpoint listens and what it allows: the <c>alrs.ctl</c> section of hocon/ctl.hocon.</summary>
public sealed record ControlSettings(bool Enabled, string Host, int Port, TimeSpan AskTimeout, TimeSpan RequestTimeout)
{
    const string Section = "alrs.ctl";

    /// <summary>Connections served at once; beyond, the oldest one that has not sent its request yet is dropped.</summary>
    public int MaxConnections { get; init; } = 64;
    /// <summary>Streaming sessions (<c>cluster tail</c>) at once.</summary>
    public int MaxStreams { get; init; } = 4;
    /// <summary>A reply line not taken by the client within this long ends the session.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The token every request must carry; empty: none needed (allowed on loopback only).</summary>
    public string Token { get; init; } = "";

    /// <summary>The variable that sets <see cref="Token"/>, for the node and for <c>alrs ctl</c>.</summary>
    public const string TokenVariable = "ALRS_CTL_TOKEN";

    // The token is a secret: never in a log line or an exception message.
    bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Enabled = {Enabled}, Host = {Host}, Port = {Port}, AskTimeout = {AskTimeout}, RequestTimeout = {RequestTimeout}, ");
        builder.Append(CultureInfo.InvariantCulture, $"MaxConnections = {MaxConnections}, MaxStreams = {MaxStreams}, WriteTimeout = {WriteTimeout}, Token = {(Token.Length > 0 ? "(set)" : "(none)")}");
        return true;
    }

    /// <summary>The endpoint as <c>HOST:PORT</c> (IPv6 hosts bracketed), as <c>alrs ctl</c> takes it.</summary>
    public static string Format(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    public const string File = "ctl.hocon";

    /// <summary>
    /// For processes whose configuration does not include hocon/ctl.hocon (e.g. <c>alrs train</c>,
    /// which loads <see cref="AlrsConfig"/>): <c>alrs.ctl</c> from <paramref name="config"/>,
    /// falling back to the shipped file for every key it does not set (an override may set one).
    /// </summary>
    public static ControlSettings Load(Config config, string? hoconDirectory = null)
    {
        var path = Path.Combine(hoconDirectory ?? AlrsConfig.HoconDirectory, File);
        if (System.IO.File.Exists(path))
            return FromConfig(config.WithFallback(ConfigurationFactory.ParseString(System.IO.File.ReadAllText(path))));
        if (config.HasPath(Section)) return FromConfig(config);
        throw new InputException($"configuration file {path} is missing (the build copies hocon/ beside the executable)");
    }

    /// <summary>Reads and validates <c>alrs.ctl</c>; bad values throw <see cref="InputException"/> naming the key.</summary>
    public static ControlSettings FromConfig(Config config)
    {
        if (!config.HasPath(Section))
            throw new InputException($"configuration has no {Section} section (hocon/ctl.hocon was not loaded)");

        var enabledText = (config.GetString($"{Section}.enabled") ?? "").Trim().ToLowerInvariant();
        var enabled = enabledText switch
        {
            "on" or "true" or "yes" or "1" => true,
            "off" or "false" or "no" or "0" => false,
            _ => throw new InputException($"{Section}.enabled must be on or off, got '{enabledText}'"),
        };
        var host = (config.GetString($"{Section}.host") ?? "").Trim();
        if (host.Length == 0) throw new InputException($"{Section}.host is empty; use 127.0.0.1 for loopback only");

        var portText = (config.GetString($"{Section}.port") ?? "").Trim();
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new InputException($"{Section}.port must be an integer in [0, 65535], got '{portText}'");

        var token = config.GetString($"{Section}.token", "") ?? "";
        if (enabled && token.Length == 0 && !LoopbackAddress.IsLoopback(host))
            throw new InputException(
                $"{Section}.host {host} is not a loopback address: set a token ({TokenVariable}, {Section}.token) so that only its holders can steer this node, or listen on 127.0.0.1");
        return new ControlSettings(enabled, host, port, Duration(config, "ask-timeout"), Duration(config, "request-timeout"))
        {
            MaxConnections = Count(config, "max-connections", 1, 10_000),
            MaxStreams = Count(config, "max-streams", 0, 1_000),
            WriteTimeout = Duration(config, "write-timeout"),
            Token = token,
        };
    }

    static int Count(Config config, string key, int min, int max)
    {
        var text = (config.GetString($"{Section}.{key}") ?? "").Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InputException($"{Section}.{key} must be an integer in [{min}, {max}], got '{text}'");
    }

    static TimeSpan Duration(Config config, string key)
    {
        TimeSpan value;
        try
        {
            value = config.GetTimeSpan($"{Section}.{key}", allowInfinite: false);
        }
        catch (Exception e) when (e is not InputException)
        {
            throw new InputException($"{Section}.{key} must be a duration such as 5s: {e.Message}", e);
        }
        return value > TimeSpan.Zero ? value : throw new InputException($"{Section}.{key} must be positive, got {value}");
    }
}
