using Alrs.Learning.Environments;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Baselines;

/// <summary>A hand-designed learning-rate schedule: a pure function of the child step.</summary>
public interface IFixedSchedule : ILearningRateSchedule
{
    /// <summary>The rate for child step <paramref name="step"/> (0-based).</summary>
    double At(int step);

    IScheduleEpisode ILearningRateSchedule.Begin(LearningRateEnvironment environment) => new FixedScheduleEpisode(environment, this);
}

/// <summary>Follows a fixed schedule in the environment's schedule mode.</summary>
sealed class FixedScheduleEpisode(LearningRateEnvironment environment, IFixedSchedule schedule) : IScheduleEpisode
{
    public StepResult Advance() => environment.StepFollowing(schedule.At);
}
