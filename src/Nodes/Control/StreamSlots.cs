namespace Alrs.Nodes.Control;

/// <summary>A bounded count of streaming sessions (<c>cluster tail</c>) running at once (alrs.ctl.max-streams).</summary>
public sealed class StreamSlots(int capacity)
{
    int _taken;

    public int Capacity { get; } = capacity;

    /// <summary>Takes a slot; false when all <see cref="Capacity"/> are taken.</summary>
    public bool TryTake()
    {
        while (true)
        {
            var taken = Volatile.Read(ref _taken);
            if (taken >= Capacity) return false;
            if (Interlocked.CompareExchange(ref _taken, taken + 1, taken) == taken) return true;
        }
    }

    public void Release() => Interlocked.Decrement(ref _taken);
}
