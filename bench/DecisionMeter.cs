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
    TimeSpan _startCpu, _endCpu;
    Dictionary<int, (string Name, double Seconds)> _startThreads = [], _endThreads = [];
    int _threads;

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

    /// <summary>Processor time the whole process used during the window, in processors (1.0 = one core busy throughout).</summary>
    public double ProcessorsBusy => (_endCpu - _startCpu) / Window;

    /// <summary>Threads of the process when the window closed.</summary>
    public int Threads => _threads;

    /// <summary>"cpu 1.93 cores, 41 threads".</summary>
    public string Usage => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"process busy {ProcessorsBusy:F2} cores, {Threads} threads");

    /// <summary>The threads that used the most processor time inside the window.</summary>
    public string BusiestThreads => ThreadUsage.Busiest(_startThreads, _endThreads);

    /// <summary>Processor seconds inside the window per thread name.</summary>
    public Dictionary<string, double> ThreadSecondsByName => ThreadUsage.ByName(_startThreads, _endThreads);

    /// <summary>Decisions completed so far, warm-up included.</summary>
    public long Completed => Interlocked.Read(ref _count);

    /// <summary>One decision completed.</summary>
    public void Record()
    {
        var n = Interlocked.Increment(ref _count);
        if (n == _warmup)
        {
            _startTimestamp = Stopwatch.GetTimestamp();
            using var process = Process.GetCurrentProcess();
            _startCpu = process.TotalProcessorTime;
            _startThreads = ThreadUsage.Snapshot();
        }
        if (n == _end)
        {
            _endTimestamp = Stopwatch.GetTimestamp();
            using var process = Process.GetCurrentProcess();
            _endCpu = process.TotalProcessorTime;
            _threads = process.Threads.Count;
            _endThreads = ThreadUsage.Snapshot();
            _finished.TrySetResult();
        }
    }
}
