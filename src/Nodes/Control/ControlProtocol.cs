using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alrs.Nodes.Control;

// The wire protocol of the command endpoint: newline-delimited JSON over TCP (UTF-8).
// A client connects, sends one ControlRequest line, and reads ControlReply lines: any number
// of `line`s (text to print), then exactly one `done` or `error`. `cluster tail` streams
// `line`s until the client closes the connection. One request per connection.

/// <summary>
/// One command for a node: its words (<c>["cluster", "show"]</c>), positional arguments and
/// options by name without dashes (<c>{"depth": "2"}</c>; switches have the value <c>"true"</c>),
/// and the endpoint's token when it has one (alrs.ctl.token).
/// </summary>
public sealed record ControlRequest(
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Options,
    string? Token = null)
{
    // The token is a secret: never in a log line.
    bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Command = [{string.Join(' ', Command ?? [])}], Arguments = [{string.Join(' ', Arguments ?? [])}], Options = {Options?.Count ?? 0}, Token = {(Token is { Length: > 0 } ? "(set)" : "(none)")}");
        return true;
    }
}

/// <summary>What a reply line carries.</summary>
public enum ControlReplyKind
{
    /// <summary>A line of output for the user.</summary>
    Line,

    /// <summary>The command finished; nothing follows.</summary>
    Done,

    /// <summary>The command failed; <see cref="ControlReply.Text"/> says why. Nothing follows.</summary>
    Error,
}

/// <summary>One line the node sends back.</summary>
public sealed record ControlReply(ControlReplyKind Kind, string Text = "")
{
    public static ControlReply Line(string text) => new(ControlReplyKind.Line, text);
    public static readonly ControlReply Done = new(ControlReplyKind.Done);
    public static ControlReply Error(string text) => new(ControlReplyKind.Error, text);
}

/// <summary>JSON encoding of requests and replies, one object per line.</summary>
public static class ControlJson
{
    /// <summary>The longest request line a node accepts; real requests are a few hundred bytes.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Readable on the wire (quotes, <, >, non-ASCII as is); nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Parses one line; malformed JSON or missing fields throw <see cref="ControlProtocolException"/>.</summary>
    public static T Parse<T>(string line) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, Options) ?? throw new ControlProtocolException($"expected a JSON {typeof(T).Name}, got null");
        }
        catch (JsonException e)
        {
            throw new ControlProtocolException($"malformed {typeof(T).Name}: {e.Message}");
        }
    }
}

/// <summary>A peer broke the protocol (malformed or oversized line, unexpected end).</summary>
public sealed class ControlProtocolException(string message) : Exception(message);
