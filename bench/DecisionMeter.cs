using System.Diagnostics;

namespace Alrs.Bench;

/// <summary>
/// Counts decisions of all environments together and times a window: the clock starts when
/// the <c>warmup</c>-th decision completes and stops when <c>measured</c> more have. Both
/// variants of a comparison are timed by this same meter, so they are measured alike.
/// Thread-safe.
/// </summary>
public sealed class DecisionMeter
{
    readonly long _warmup, _end;
    readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long _count, _startTimestamp, _endTimestamp;

    public DecisionMeter(long warmup, long measured)
    {
        if (warmup < 1) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "at least one warm-up decision opens the window");
        if (measured < 1) throw new ArgumentOutOfRangeException(nameof(measured), measured, "the window needs at least one decision");
        _warmup = warmup;
        _end = warmup + measured;
        Measured = measured;
    }

    /// <summary>Decisions inside the timed window.</summary>
    public long Measured { get; }

    /// <summary>Completes when the window closed.</summary>
    public Task Finished => _finished.Task;

    public bool IsFinished => Interlocked.Read(ref _count) >= _end;

    /// <summary>The window's length (valid once <see cref="Finished"/>).</summary>
    public TimeSpan Window => Stopwatch.GetElapsedTime(_startTimestamp, _endTimestamp);

    /// <summary>Decisions completed so far, warm-up included.</summary>
    public long Completed => Interlocked.Read(ref _count);

    /// <summary>One decision completed.</summary>
    public void Record()
    {
        var n = Interlocked.Increment(ref _count);
        if (n == _warmup) _startTimestamp = Stopwatch.GetTimestamp();
        if (n == _end)
        {
            _endTimestamp = Stopwatch.GetTimestamp();
            _finished.TrySetResult();
        }
    }
}
