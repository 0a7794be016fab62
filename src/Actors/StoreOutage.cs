namespace Alrs.Actors;

/// <summary>
/// The learner's view of its policy store's availability: when an outage began, its last
/// cause, and whether a warning is due (the first failure, then at most once per
/// <c>logInterval</c>, so an outage of minutes writes a few lines, not megabytes).
/// </summary>
public sealed class StoreOutage(TimeSpan logInterval, TimeSpan giveUpAfter)
{
    DateTime? _since;
    DateTime _lastLogged;

    public bool Available => _since is null;
    public string Cause { get; private set; } = "";

    public TimeSpan Length(DateTime now) => _since is { } since ? now - since : TimeSpan.Zero;

    /// <summary>A request failed. Returns whether this failure should be logged; <paramref name="began"/> when it starts an outage.</summary>
    public bool Failed(string cause, DateTime now, out bool began)
    {
        Cause = cause;
        began = _since is null;
        if (began) _since = now;
        if (!began && now - _lastLogged < logInterval) return false;
        _lastLogged = now;
        return true;
    }

    /// <summary>The store answered. Returns how long the outage lasted (zero when there was none).</summary>
    public TimeSpan Recovered(DateTime now)
    {
        var length = Length(now);
        _since = null;
        Cause = "";
        return length;
    }

    /// <summary>Whether the outage has lasted longer than allowed: training must stop.</summary>
    public bool Expired(DateTime now) => _since is { } since && now - since > giveUpAfter;
}
