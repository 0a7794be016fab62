namespace Alrs.Bench;

/// <summary>
/// One timed window of one variant: child steps per second, the processors the process got,
/// and where that processor time went (seconds per thread name) over the window's decisions and seconds.
/// </summary>
public sealed record VariantWindow(double StepsPerSecond, double ProcessorsBusy, long Decisions, double Seconds, IReadOnlyDictionary<string, double> ThreadSeconds)
{
    public double StepsPerProcessorSecond => StepsPerSecond / ProcessorsBusy;
}

/// <summary>
/// One interleaved pair of the overhead benchmark: the actor variant and the bare variant run
/// back to back (<see cref="ActorFirst"/> says in which order), so both see nearly the same
/// machine; their ratio is one observation of the overhead.
/// </summary>
public sealed record OverheadPair(int Number, bool ActorFirst, VariantWindow Actor, VariantWindow Bare, double Load)
{
    /// <summary>Actor / bare child steps per second: the figure the target is set on.</summary>
    public double Ratio => Actor.StepsPerSecond / Bare.StepsPerSecond;

    /// <summary>Actor / bare child steps per processor-second: what other load on the machine skews least.</summary>
    public double RatioPerProcessorSecond => Actor.StepsPerProcessorSecond / Bare.StepsPerProcessorSecond;
}
