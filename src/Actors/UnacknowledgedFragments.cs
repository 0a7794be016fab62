using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// An environment's fragments sent but not yet acknowledged (the learner acknowledges a
/// fragment once a committed version accounts for it), kept to be sent again. Bounded by
/// <c>capacity</c> (<see cref="ActorSettings.MaxUnackedFragments"/>): when it is full the
/// environment stops sampling until acknowledgements make room, so a learner that cannot
/// commit (a store outage) or never answers costs a fixed amount of memory, not a growing one.
/// </summary>
public sealed class UnacknowledgedFragments(int capacity)
{
    readonly SortedDictionary<(long Episode, int Sequence), (TrajectoryFragment Fragment, DateTime SentUtc)> _fragments = [];

    public int Count => _fragments.Count;

    /// <summary>No room for another fragment: sampling waits.</summary>
    public bool Full => _fragments.Count >= capacity;

    public void Sent(TrajectoryFragment fragment, DateTime now) => _fragments[(fragment.EpisodeId, fragment.Sequence)] = (fragment, now);

    /// <summary>Returns whether the fragment was still waiting.</summary>
    public bool Acknowledged(long episode, int sequence) => _fragments.Remove((episode, sequence));

    public bool Contains(long episode, int sequence) => _fragments.ContainsKey((episode, sequence));

    /// <summary>Whether an earlier fragment of the same episode still waits.</summary>
    public bool HasEarlier(long episode, int sequence) =>
        _fragments.Keys.Any(k => k.Episode == episode && k.Sequence < sequence);

    public void DropEpisode(long episode)
    {
        foreach (var key in _fragments.Keys.Where(k => k.Episode == episode).ToArray()) _fragments.Remove(key);
    }

    /// <summary>
    /// The fragments to send again now, in (episode, sequence) order (the learner takes an
    /// environment's fragments only in order): those last sent before <paramref name="sentBefore"/>.
    /// They count as sent at <paramref name="now"/>.
    /// </summary>
    public IReadOnlyList<TrajectoryFragment> Resend(DateTime sentBefore, DateTime now)
    {
        var due = _fragments.Where(f => f.Value.SentUtc <= sentBefore).Select(f => f.Value.Fragment).ToArray();
        foreach (var fragment in due) _fragments[(fragment.EpisodeId, fragment.Sequence)] = (fragment, now);
        return due;
    }
}
