using Alrs.Learning.Environments;

namespace Alrs.Learning.Baselines;

/// <summary>One decision of a baseline run, as written to the CSV traces.</summary>
public sealed record DecisionTrace(int Step, double LearningRate, double TrainLoss, double ValidationLoss, double ValidationAccuracy);

/// <summary>
/// The outcome of one schedule on one episode seed. <see cref="FinalValidation"/> is measured
/// on the whole validation split after the last step (it selects the best schedule);
/// <see cref="Test"/> on the test split.
/// </summary>
public sealed record BaselineRun(
    ILearningRateSchedule Schedule,
    int Seed,
    ChildEvaluation FinalValidation,
    ChildEvaluation Test,
    bool Diverged,
    IReadOnlyList<DecisionTrace> Trace,
    TimeSpan Elapsed)
{
    /// <summary>Child steps of the trajectory that was kept (the episode's steps, or fewer for an equal-compute tuner or a diverged child).</summary>
    public int KeptSteps { get; init; }
    /// <summary>Every child step trained, discarded probe steps included: the child compute spent.</summary>
    public long ChildSteps { get; init; }
    /// <summary>Read from a <see cref="BaselineCache"/> rather than trained in this process.</summary>
    public bool FromCache { get; init; }
}
