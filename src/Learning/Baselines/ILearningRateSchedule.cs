using Alrs.Learning.Environments;

namespace Alrs.Learning.Baselines;

/// <summary>
/// A non-learned way of setting the child's learning rate, compared against the controller:
/// a hand-designed schedule (<see cref="IFixedSchedule"/>) or an online tuner that reacts to
/// the training it drives (hypergradient descent, the probe tuner).
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>Family name: constant, step-decay, cosine, knee, hypergradient, probe or probe-equal-compute.</summary>
    string Family { get; }
    /// <summary>Family and parameters, unique within a grid (e.g. <c>step-decay(lr=0.01,every=20,factor=0.9)</c>).</summary>
    string Name { get; }
    /// <summary>Starts driving <paramref name="environment"/>, whose episode has just been reset.</summary>
    IScheduleEpisode Begin(LearningRateEnvironment environment);
}
