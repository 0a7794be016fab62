namespace Alrs.Nodes.Control;

/// <summary>
/// One accepted connection as the endpoint tracks it: when it came, whether its request has
/// arrived, and how to end it. Shared by the endpoint (which may drop it for a newer one) and
/// its session (which marks the request).
/// </summary>
public sealed class ControlConnection(long order, CancellationToken stopping) : IDisposable
{
    readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    int _requested, _dropped;

    /// <summary>Acceptance order: the lowest is the oldest.</summary>
    public long Order { get; } = order;

    /// <summary>Cancelled when the node stops or the endpoint drops this connection.</summary>
    public CancellationToken Cancellation => _cancellation.Token;

    /// <summary>Whether a complete request line has arrived (then the connection is no longer idle).</summary>
    public bool HasRequest => Volatile.Read(ref _requested) == 1;

    public void MarkRequested() => Volatile.Write(ref _requested, 1);

    /// <summary>Whether the endpoint has dropped it (it ends shortly and no longer counts).</summary>
    public bool Dropped => Volatile.Read(ref _dropped) == 1;

    /// <summary>Drops the connection if it is still idle; false when its request arrived meanwhile or it was dropped before.</summary>
    public bool TryDropIdle()
    {
        if (HasRequest || Interlocked.Exchange(ref _dropped, 1) == 1) return false;
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        return true;
    }

    public void Dispose() => _cancellation.Dispose();
}
