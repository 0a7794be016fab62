namespace Alrs.Learning.Ppo;

/// <summary>
/// The observation statistics each recent policy version acted with, so a learner normalises a
/// lagging fragment the way its acting policy did (stable-baselines stores observations
/// normalised at collection time for the same reason). Keeps the newest
/// <see cref="Capacity"/> versions; older ones fall back to the learner's current statistics.
/// </summary>
public sealed class ActingStatistics(int capacity)
{
    readonly SortedDictionary<long, RunningMeanStd> _byVersion = [];

    public int Capacity { get; } = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be at least 1");

    /// <summary>Records a copy of the statistics published with <paramref name="version"/>.</summary>
    public void Remember(long version, RunningMeanStd statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        _byVersion[version] = statistics.Copy();
        while (_byVersion.Count > Capacity) _byVersion.Remove(_byVersion.Keys.First());
    }

    /// <summary>The statistics <paramref name="version"/> acted with, or null when not remembered.</summary>
    public RunningMeanStd? Of(long version) => _byVersion.GetValueOrDefault(version);
}
