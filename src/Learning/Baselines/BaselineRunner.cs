using System.Diagnostics;
using Alrs.Learning.Environments;

namespace Alrs.Learning.Baselines;

/// <summary>
/// Runs a schedule through the learning-rate environment in schedule mode, so a baseline
/// episode with seed s trains the same initial network on the same data order as a
/// controller episode with seed s.
/// </summary>
public static class BaselineRunner
{
    /// <summary>
    /// One episode of <paramref name="schedule"/> (a fixed schedule or an online tuner). Use an environment with
    /// <see cref="EnvironmentSettings.Evaluation"/> set: baselines get no noise.
    /// </summary>
    public static BaselineRun Run(LearningRateEnvironment environment, ILearningRateSchedule schedule, int seed, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        environment.Reset(seed);
        var trace = new List<DecisionTrace>();
        var diverged = false;
        var episode = schedule.Begin(environment);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var result = episode.Advance();
            var info = result.Info;
            trace.Add(new DecisionTrace((int)info[StepInfo.Step], info[StepInfo.LearningRate], info[StepInfo.TrainLoss],
                info[StepInfo.ValidationLoss], info[StepInfo.ValidationAccuracy]));
            diverged = info[StepInfo.Diverged] > 0;
            if (result.Done) break;
        }
        var validation = environment.EvaluateValidation();
        var test = environment.EvaluateTest();
        return new BaselineRun(schedule, seed, validation, test, diverged, trace, clock.Elapsed)
        {
            KeptSteps = environment.StepCount,
            ChildSteps = environment.ChildStepsTrained,
        };
    }
}
