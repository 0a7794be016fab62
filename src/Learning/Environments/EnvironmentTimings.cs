using System.Diagnostics;

namespace Alrs.Learning.Environments;

/// <summary>
/// Where an environment's time went, accumulated over its life: the child's training steps
/// (forward, backward, optimizer), gathering training batches, validation measurement, and
/// everything else (statistics, observation, bookkeeping). On CPU torch calls are synchronous,
/// so these are true wall times.
/// </summary>
public sealed class EnvironmentTimings
{
    public TimeSpan ChildTraining { get; internal set; }
    public TimeSpan BatchGathering { get; internal set; }
    public TimeSpan Validation { get; internal set; }
    public TimeSpan Overhead { get; internal set; }
    public TimeSpan Total => ChildTraining + BatchGathering + Validation + Overhead;

    public void Clear() => ChildTraining = BatchGathering = Validation = Overhead = TimeSpan.Zero;

    public override string ToString() =>
        $"total {Total.TotalSeconds:F2} s: child training {ChildTraining.TotalSeconds:F2} s, validation {Validation.TotalSeconds:F2} s, " +
        $"batch gathering {BatchGathering.TotalSeconds:F3} s ({Share(BatchGathering):P2}), other {Overhead.TotalSeconds:F3} s ({Share(Overhead):P2})";

    double Share(TimeSpan part) => Total > TimeSpan.Zero ? part / Total : 0;

    internal static long Now => Stopwatch.GetTimestamp();
    internal static TimeSpan Since(long start) => Stopwatch.GetElapsedTime(start);
    internal static TimeSpan Between(long start, long end) => Stopwatch.GetElapsedTime(start, end);
}
