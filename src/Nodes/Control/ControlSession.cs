using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Control;

/// <summary>
/// Serves one connection: reads the request line, checks its token, runs its command and
/// writes the reply lines, ending with <c>done</c> or <c>error</c>. A client that closes the
/// connection cancels its command (that is how <c>cluster tail</c> ends); one that stops
/// reading for <see cref="ControlSettings.WriteTimeout"/> is dropped.
/// </summary>
public static class ControlSession
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task ServeAsync(TcpClient client, ActorSystem system, ControlSettings settings, ControlConnection connection, StreamSlots streams, CancellationToken stopping)
    {
        using var owned = client;
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping, connection.Cancellation);
        var stream = client.GetStream();
        await using var writer = new StreamWriter(stream, Utf8) { NewLine = "\n", AutoFlush = true };
        async Task Send(ControlReply reply)
        {
            using var write = CancellationTokenSource.CreateLinkedTokenSource(session.Token);
            write.CancelAfter(settings.WriteTimeout);
            try
            {
                await writer.WriteLineAsync(ControlJson.Serialize(reply).AsMemory(), write.Token);
            }
            catch (OperationCanceledException) when (!session.IsCancellationRequested)
            {
                // The client stopped reading: end the session rather than wait on it.
                await session.CancelAsync();
                throw;
            }
        }

        var streaming = false;
        try
        {
            var request = await ReadRequestAsync(stream, settings.RequestTimeout, session.Token);
            connection.MarkRequested();
            CheckToken(request, settings);
            var command = ControlCommands.Find(request.Command);
            command.Check(request);
            if (command.Streams && !(streaming = streams.TryTake()))
                throw new ControlCommandException($"'{command.Name}' is already streaming to {streams.Capacity} clients (alrs.ctl.max-streams); try again when one ends");
            _ = CancelOnHangupAsync(stream, session);
            await command.ExecuteAsync(new ControlContext(system, settings, text => Send(ControlReply.Line(text))), request, session.Token);
            await Send(ControlReply.Done);
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            // The client left or the node is stopping: nobody to answer.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
        catch (Exception e)
        {
            var message = e switch
            {
                ControlCommandException or ControlProtocolException or UsageException => e.Message,
                AskTimeoutException => $"no answer from the actor within {settings.AskTimeout.TotalSeconds:0.#}s ({e.Message})",
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            try
            {
                await Send(ControlReply.Error(message));
            }
            catch (Exception e2) when (e2 is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
        finally
        {
            if (streaming) streams.Release();
        }
    }

    /// <summary>With a token set, a request must carry it (compared in constant time, so timing tells nothing about it).</summary>
    static void CheckToken(ControlRequest request, ControlSettings settings)
    {
        if (settings.Token.Length == 0) return;
        var expected = Utf8.GetBytes(settings.Token);
        var given = Utf8.GetBytes(request.Token ?? "");
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
            throw new ControlProtocolException($"this endpoint needs a token: set {ControlSettings.TokenVariable} to the node's token for alrs ctl");
    }

    /// <summary>Reads the first line (at most <see cref="ControlJson.MaxRequestBytes"/>) within <paramref name="timeout"/>.</summary>
    static async Task<ControlRequest> ReadRequestAsync(NetworkStream stream, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var count = await stream.ReadAsync(buffer, deadline.Token);
                if (count == 0) throw new ControlProtocolException("the connection closed before a complete request line");
                var newline = Array.IndexOf(buffer, (byte)'\n', 0, count);
                received.Write(buffer, 0, newline >= 0 ? newline : count);
                if (received.Length > ControlJson.MaxRequestBytes)
                    throw new ControlProtocolException($"request line longer than {ControlJson.MaxRequestBytes} bytes");
                if (newline >= 0) break;
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new ControlProtocolException($"no request line within {timeout.TotalSeconds:0.#}s");
        }

        var request = ControlJson.Parse<ControlRequest>(Utf8.GetString(received.GetBuffer(), 0, (int)received.Length).TrimEnd('\r'));
        // Fields absent from the JSON arrive as null despite the record's types.
        if (request.Command is null || request.Command.Count == 0) throw new ControlProtocolException("request has no command");
        return request with
        {
            Arguments = request.Arguments ?? [],
            Options = request.Options ?? new Dictionary<string, string>(),
        };
    }

    /// <summary>Cancels <paramref name="session"/> when the client closes its side (a read returns 0 bytes).</summary>
    static async Task CancelOnHangupAsync(NetworkStream stream, CancellationTokenSource session)
    {
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, session.Token) > 0) { }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        try
        {
            session.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
