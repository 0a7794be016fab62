using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Control;

/// <summary>Where a node's command endpoint listens: the <c>alrs.ctl</c> section of hocon/ctl.hocon.</summary>
public sealed record ControlSettings(bool Enabled, string Host, int Port, TimeSpan AskTimeout, TimeSpan RequestTimeout)
{
    const string Section = "alrs.ctl";

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

        return new ControlSettings(enabled, host, port, Duration(config, "ask-timeout"), Duration(config, "request-timeout"));
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
