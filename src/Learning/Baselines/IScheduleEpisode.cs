using Alrs.Learning.Rl;

namespace Alrs.Learning.Baselines;

/// <summary>One episode driven by a schedule: a state machine over decision intervals.</summary>
public interface IScheduleEpisode
{
    /// <summary>Trains the next decision interval of the kept trajectory and returns its measurement; Done ends the episode.</summary>
    StepResult Advance();
}
