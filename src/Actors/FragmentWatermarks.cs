using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>Where a fragment stands against its environment's watermark.</summary>
public enum FragmentOrder
{
    /// <summary>The next one in (episode, sequence) order: consume it.</summary>
    Next,
    /// <summary>Consumed already, not yet in a committed version: its acknowledgement comes with that commit.</summary>
    Consumed,
    /// <summary>At or below the committed watermark: a durable version already accounts for it.</summary>
    Committed,
    /// <summary>Beyond a missing fragment: refused until the gap is filled (the environment re-sends in order).</summary>
    Gap,
    /// <summary>From an environment not yet known while no remembered one may be forgotten safely: refused, re-sent later.</summary>
    Full,
}

/// <summary>
/// Exactly-once for trajectory fragments, Kafka-offset style: per environment, the highest
/// contiguous (episode, sequence) the learner has consumed, and the same as of the last
/// committed policy version. A fragment continues its environment's run when it is the next
/// sequence of the same episode or the first fragment (sequence 0) of a later episode
/// (environments number episodes increasingly, across restarts too); an environment not
/// known yet starts with sequence 0 too, so a fragment whose predecessors may still come
/// (re-sent after a learner restart) is never taken in their place. The committed
/// watermarks are persisted with every version and restored on recovery, so a fragment
/// re-sent to a restarted learner is recognised, not used twice.
/// <para>
/// Memory stays bounded: at most <c>capacity</c> environments. One is forgotten only when
/// that cannot let a fragment be used twice: everything it consumed is committed, and it has
/// been silent for <c>quiet</c> (an environment re-sends what is not acknowledged every
/// ack-timeout, so a silent one holds nothing the learner committed without its knowing).
/// When none qualifies, a new environment's fragments are refused (<see cref="FragmentOrder.Full"/>)
/// and re-sent later. An environment that was forgotten mid-episode gets a gap for its next
/// fragment and drops the rest of that episode (<see cref="EnvironmentActor"/>).
/// </para>
/// </summary>
public sealed class FragmentWatermarks(int capacity, TimeSpan quiet, Func<DateTime>? clock = null)
{
    sealed class Entry
    {
        public (long Episode, int Sequence) Consumed;
        public (long Episode, int Sequence)? Committed;
        public DateTime LastHeard;

        public bool Settled => Committed == Consumed;
    }

    readonly Dictionary<string, Entry> _entries = [];
    readonly Func<DateTime> _now = clock ?? (() => DateTime.UtcNow);

    public int Count => _entries.Count;

    /// <summary>Places a fragment; the environment counts as heard of now (even a duplicate says it is alive).</summary>
    public FragmentOrder Classify(string environment, long episode, int sequence)
    {
        if (!_entries.TryGetValue(environment, out var entry))
        {
            if (sequence != 0) return FragmentOrder.Gap;
            return _entries.Count < capacity || Evictable() is not null ? FragmentOrder.Next : FragmentOrder.Full;
        }
        entry.LastHeard = _now();
        var key = (episode, sequence);
        if (entry.Committed is { } committed && AtOrBefore(key, committed)) return FragmentOrder.Committed;
        if (AtOrBefore(key, entry.Consumed)) return FragmentOrder.Consumed;
        var (lastEpisode, lastSequence) = entry.Consumed;
        var next = (episode == lastEpisode && sequence == lastSequence + 1) || (episode > lastEpisode && sequence == 0);
        return next ? FragmentOrder.Next : FragmentOrder.Gap;
    }

    /// <summary>Moves the environment's consumed watermark to this fragment (classified <see cref="FragmentOrder.Next"/>).</summary>
    public void Consume(string environment, long episode, int sequence)
    {
        if (!_entries.TryGetValue(environment, out var entry))
        {
            if (_entries.Count >= capacity && Evictable() is { } forgotten) _entries.Remove(forgotten);
            _entries[environment] = entry = new Entry();
        }
        entry.Consumed = (episode, sequence);
        entry.LastHeard = _now();
    }

    /// <summary>Every environment's consumed watermark: what a version made now is accountable for.</summary>
    public IReadOnlyList<EnvironmentWatermark> Consumed() =>
        _entries.Select(e => new EnvironmentWatermark(e.Key, e.Value.Consumed.Episode, e.Value.Consumed.Sequence)).ToArray();

    /// <summary>A version carrying <paramref name="watermarks"/> is durable.</summary>
    public void Committed(IEnumerable<EnvironmentWatermark> watermarks)
    {
        foreach (var w in watermarks)
            if (_entries.TryGetValue(w.EnvironmentId, out var entry)) entry.Committed = (w.EpisodeId, w.Sequence);
    }

    /// <summary>After recovery: the stored watermarks are both consumed and committed, heard of now.</summary>
    public void Restore(IEnumerable<EnvironmentWatermark> watermarks)
    {
        _entries.Clear();
        var now = _now();
        foreach (var w in watermarks)
        {
            if (_entries.Count >= capacity) break;
            _entries[w.EnvironmentId] = new Entry { Consumed = (w.EpisodeId, w.Sequence), Committed = (w.EpisodeId, w.Sequence), LastHeard = now };
        }
    }

    /// <summary>
    /// A new environment actor registered under this id (a restarted process numbers its
    /// episodes from the start again): its run starts afresh, so nothing of the old one is matched against it.
    /// </summary>
    public void Forget(string environment) => _entries.Remove(environment);

    static bool AtOrBefore((long Episode, int Sequence) key, (long Episode, int Sequence) mark) =>
        key.Episode < mark.Episode || (key.Episode == mark.Episode && key.Sequence <= mark.Sequence);

    /// <summary>The least recently heard of environment that may be forgotten safely, if any.</summary>
    string? Evictable()
    {
        var silentSince = _now() - quiet;
        string? oldest = null;
        var oldestHeard = DateTime.MaxValue;
        foreach (var (id, entry) in _entries)
            if (entry.Settled && entry.LastHeard <= silentSince && entry.LastHeard < oldestHeard)
                (oldest, oldestHeard) = (id, entry.LastHeard);
        return oldest;
    }
}
