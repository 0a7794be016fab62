using System.Diagnostics;

namespace Alrs.Learning.Environments;

/// <summary>
/// Where an environment's time went, accumulated over its life: the child's training steps
/// (forward, backward, optimizer), validation measurement, and everything else (batch
/// selection, statistics, observation, bookkeeping). On CPU torch calls are synchronous,
/// so these are true wall times.
/// </summary>
public sealed class EnvironmentTimings
{
    public TimeSpan ChildTraining { get; internal set; }
    public TimeSpan Validation { get; internal set; }
    public TimeSpan Overhead { get; internal set; }
    public TimeSpan Total => ChildTraining + Validation + Overhead;

    public void Clear() => ChildTraining = Validation = Overhead = TimeSpan.Zero;

    public override string ToString() =>
        $"total {Total.TotalSeconds:F2} s: child training {ChildTraining.TotalSeconds:F2} s, validation {Validation.TotalSeconds:F2} s, " +
        $"other {Overhead.TotalSeconds:F3} s ({(Total > TimeSpan.Zero ? Overhead / Total : 0):P2})";

    internal static long Now => Stopwatch.GetTimestamp();
    internal static TimeSpan Since(long start) => Stopwatch.GetElapsedTime(start);
    internal static TimeSpan Between(long start, long end) => Stopwatch.GetElapsedTime(start, end);
}
