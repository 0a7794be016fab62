using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;

namespace Alrs.Nodes.Control;

/// <summary>
/// A node's command endpoint: a TCP listener that serves each connection with a
/// <see cref="ControlSession"/> against the node's actor system. Closes itself when the
/// actor system terminates. Bounded: at most <see cref="ControlSettings.MaxConnections"/>
/// connections (a new one displaces the oldest that has not sent its request, so idle
/// connections cannot lock operators out) and <see cref="ControlSettings.MaxStreams"/>
/// streams. Requests must carry <see cref="ControlSettings.Token"/> when one is set (always
/// off loopback, <see cref="ControlSettings.FromConfig"/>).
/// </summary>
public sealed class ControlEndpoint : IAsyncDisposable
{
    readonly TcpListener _listener;
    readonly CancellationTokenSource _stopping = new();
    readonly StreamSlots _streams;
    readonly ConcurrentDictionary<long, (ControlConnection Connection, Task Serving)> _sessions = new();
    readonly Task _accepting;
    long _nextSession;
    int _disposed;

    ControlEndpoint(TcpListener listener, ActorSystem system, ControlSettings settings)
    {
        _listener = listener;
        var bound = (IPEndPoint)listener.LocalEndpoint;
        Endpoint = ControlSettings.Format(bound.Address.ToString(), bound.Port);
        Port = bound.Port;
        _streams = new StreamSlots(settings.MaxStreams);
        _accepting = AcceptAsync(system, settings);
        system.RegisterOnTermination(() => _ = DisposeAsync().AsTask());
    }

    /// <summary>Where clients connect, as <c>alrs ctl</c> takes it (<c>127.0.0.1:9110</c>).</summary>
    public string Endpoint { get; }

    /// <summary>The port actually bound (the OS's choice when the configured port is 0).</summary>
    public int Port { get; }

    /// <summary>Connections being served now (not counting dropped ones still closing).</summary>
    public int Connections => _sessions.Values.Count(s => !s.Connection.Dropped);

    /// <summary>Opens the endpoint; throws <see cref="ControlEndpointException"/> when the address cannot be bound.</summary>
    public static ControlEndpoint Open(ActorSystem system, ControlSettings settings)
    {
        var address = ResolveHost(settings.Host);
        var listener = new TcpListener(address, settings.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            var why = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "address already in use" : e.Message;
            throw new ControlEndpointException($"cannot open the ctl endpoint on {ControlSettings.Format(settings.Host, settings.Port)}: {why} (set alrs.ctl.port, e.g. ALRS_CTL_PORT=0)");
        }
        return new ControlEndpoint(listener, system, settings);
    }

    /// <summary>
    /// What a node does at start-up: opens the endpoint when <c>alrs.ctl.enabled</c> is on and
    /// prints where it listens. A failure to bind is printed, not thrown: the node runs on
    /// without an endpoint. Returns null when there is none.
    /// </summary>
    public static ControlEndpoint? TryOpen(ActorSystem system, ControlSettings settings, TextWriter output)
    {
        if (!settings.Enabled) return null;
        try
        {
            var endpoint = Open(system, settings);
            output.WriteLine($"ctl: listening on {endpoint.Endpoint} (alrs ctl {endpoint.Endpoint} cluster show){(settings.Token.Length > 0 ? $"; requests need the token of {ControlSettings.TokenVariable}" : "")}");
            return endpoint;
        }
        catch (ControlEndpointException e)
        {
            output.WriteLine($"ctl: {e.Message}; running without a command endpoint");
            return null;
        }
    }

    static IPAddress ResolveHost(string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address)) return address;
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            throw new ControlEndpointException($"alrs.ctl.host '{host}' does not resolve to an address: {e.Message}");
        }
    }

    async Task AcceptAsync(ActorSystem system, ControlSettings settings)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // one failed accept (a client that reset at once) does not close the endpoint
            }
            if (_sessions.Values.Count(s => !s.Connection.Dropped) >= settings.MaxConnections && !DropOldestIdle())
            {
                Refuse(client, $"the node serves {settings.MaxConnections} ctl connections already (alrs.ctl.max-connections); try again shortly");
                continue;
            }
            var id = ++_nextSession;
            var connection = new ControlConnection(id, _stopping.Token);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var serving = Task.Run(async () =>
            {
                await started.Task;
                try
                {
                    await ControlSession.ServeAsync(client, system, settings, connection, _streams, _stopping.Token);
                }
                finally
                {
                    _sessions.TryRemove(id, out _);
                    connection.Dispose();
                }
            });
            _sessions[id] = (connection, serving);
            started.SetResult(); // registered before it can finish and unregister
        }
    }

    /// <summary>Ends the oldest connection that has not sent its request yet; false when every one has.</summary>
    bool DropOldestIdle()
    {
        foreach (var (connection, _) in _sessions.Values.OrderBy(s => s.Connection.Order))
            if (connection.TryDropIdle())
                return true;
        return false;
    }

    /// <summary>Answers an error line and closes, without a session: the reply fits the socket's empty send buffer, so it never blocks.</summary>
    static void Refuse(TcpClient client, string message)
    {
        using (client)
        {
            try
            {
                client.Client.Send(System.Text.Encoding.UTF8.GetBytes(ControlJson.Serialize(ControlReply.Error(message)) + "\n"));
            }
            catch (SocketException)
            {
            }
        }
    }

    /// <summary>Stops listening, cancels running sessions (ending any <c>cluster tail</c>) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stopping.Cancel();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_sessions.Values.Select(s => s.Serving));
    }
}

/// <summary>The endpoint could not be opened (address in use, unknown host).</summary>
public sealed class ControlEndpointException(string message) : Exception(message);
