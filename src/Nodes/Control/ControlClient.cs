using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Control;

/// <summary>The client side of the endpoint protocol, as <c>alrs ctl</c> uses it.</summary>
public static class ControlClient
{
    /// <summary>How long connecting may take before the endpoint counts as unreachable.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a non-streaming command may stay silent before the client gives up.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Splits <c>HOST:PORT</c> (<c>[::1]:9110</c> for IPv6); throws <see cref="UsageException"/> when malformed.</summary>
    public static (string Host, int Port) ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new UsageException($"'{text}' is not an endpoint; give HOST:PORT, e.g. 127.0.0.1:9110");
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':')) throw new UsageException($"'{text}': write an IPv6 endpoint as [ADDRESS]:PORT");
        return (host, port);
    }

    /// <summary>
    /// Sends <paramref name="request"/> to the endpoint and passes every output line to
    /// <paramref name="onLine"/> until the node says done. <paramref name="streams"/>: no reply
    /// timeout; runs until <paramref name="cancellation"/>.
    /// </summary>
    /// <exception cref="ControlUnreachableException">No connection within <see cref="ConnectTimeout"/>.</exception>
    /// <exception cref="ControlCommandException">The node reported an error, or stopped answering.</exception>
    public static async Task SendAsync(string host, int port, ControlRequest request, Action<string> onLine, bool streams, CancellationToken cancellation)
    {
        var endpoint = ControlSettings.Format(host, port);
        using var client = new TcpClient();
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            connecting.CancelAfter(ConnectTimeout);
            try
            {
                await client.ConnectAsync(host, port, connecting.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw new ControlUnreachableException($"cannot reach the ctl endpoint {endpoint}: no connection within {ConnectTimeout.TotalSeconds:0}s");
            }
            catch (SocketException e)
            {
                throw new ControlUnreachableException($"cannot reach the ctl endpoint {endpoint}: {e.Message} (is a node running there with alrs.ctl.enabled = on?)");
            }
        }

        var stream = client.GetStream();
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await using var writer = new StreamWriter(stream, utf8, leaveOpen: true) { NewLine = "\n", AutoFlush = true };
        using var reader = new StreamReader(stream, utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        await writer.WriteLineAsync(ControlJson.Serialize(request).AsMemory(), cancellation);

        while (true)
        {
            string? line;
            using (var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                if (!streams) silence.CancelAfter(ReplyTimeout);
                try
                {
                    line = await reader.ReadLineAsync(silence.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    throw new ControlCommandException($"{endpoint} sent nothing for {ReplyTimeout.TotalSeconds:0}s; giving up");
                }
                catch (IOException e)
                {
                    throw new ControlCommandException($"the connection to {endpoint} broke: {e.Message}");
                }
            }
            if (line is null) throw new ControlCommandException($"{endpoint} closed the connection before the command finished (node stopping?)");
            var reply = ControlJson.Parse<ControlReply>(line);
            switch (reply.Kind)
            {
                case ControlReplyKind.Line:
                    onLine(reply.Text ?? "");
                    break;
                case ControlReplyKind.Done:
                    return;
                case ControlReplyKind.Error:
                    throw new ControlCommandException(reply.Text ?? "(no message)");
                default:
                    throw new ControlProtocolException($"unknown reply kind {reply.Kind}");
            }
        }
    }
}

/// <summary>Nothing answers at the endpoint (refused, no route, timed out). Exit 1.</summary>
public sealed class ControlUnreachableException(string message) : Exception(message);
