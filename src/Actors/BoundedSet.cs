namespace Alrs.Actors;

/// <summary>
/// A set that remembers at most <c>capacity</c> items, forgetting the oldest first: for what
/// an actor notes about the outside world (discarded episodes, environments already logged,
/// lost nodes) and only needs for a while, so a long run or a hostile sender cannot grow it
/// without bound.
/// </summary>
public sealed class BoundedSet<T>(int capacity) where T : notnull
{
    readonly HashSet<T> _items = [];
    readonly Queue<T> _order = new();

    public int Count => _items.Count;

    public bool Contains(T item) => _items.Contains(item);

    /// <summary>Adds <paramref name="item"/>; returns false when it was already there.</summary>
    public bool Add(T item)
    {
        if (!_items.Add(item)) return false;
        _order.Enqueue(item);
        while (_items.Count > capacity) _items.Remove(_order.Dequeue());
        return true;
    }
}
