using System.Globalization;
using Alrs.Learning.Environments;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Baselines;

/// <summary>
/// A generic online probe-and-choose tuner (in the spirit of AutoLRS and LRTuner, not a
/// reproduction of either): every K child steps it snapshots the child, trains m steps from
/// the snapshot at each of lr, lr/α and lr·α, scores each by its loss on a fixed validation
/// subset, and continues from the best candidate's state at its rate (ties keep lr). Every
/// candidate's steps are child compute (<see cref="LearningRateEnvironment.ChildStepsTrained"/>).
/// </summary>
/// <remarks>
/// With <see cref="EqualCompute"/> the kept trajectory is shortened so that all child steps,
/// probes included, fit in the episode's step budget (family <c>probe-equal-compute</c>);
/// otherwise the kept trajectory has the episode's full length and the probes come on top
/// (family <c>probe</c>).
/// </remarks>
public sealed record ProbeTunerSchedule(double Initial, ProbeTunerSettings Settings, bool EqualCompute = false) : ILearningRateSchedule
{
    public const string StepsFamily = "probe", ComputeFamily = "probe-equal-compute";

    public string Family => EqualCompute ? ComputeFamily : StepsFamily;

    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"{Family}(lr={Initial:G},every={Settings.Every},steps={Settings.Steps},factor={Settings.Factor:G})");

    public IScheduleEpisode Begin(LearningRateEnvironment environment)
    {
        Settings.Validate(environment.Settings.DecisionInterval);
        var total = environment.Settings.Steps;
        var kept = EqualCompute ? Settings.KeptStepsWithin(total, environment.Settings.DecisionInterval) : total;
        if (kept < environment.Settings.DecisionInterval)
            throw new InputException($"{Name}: {total} child steps leave no kept trajectory once probes are paid for");
        return new Episode(environment, this, kept);
    }

    sealed class Episode(LearningRateEnvironment environment, ProbeTunerSchedule schedule, int keptSteps) : IScheduleEpisode
    {
        readonly Queue<StepResult> _pending = new();
        double _rate = schedule.Initial;

        public StepResult Advance()
        {
            if (_pending.Count == 0)
            {
                var step = environment.StepCount;
                var settings = schedule.Settings;
                if (step % settings.Every == 0 && step + settings.Steps <= keptSteps) Probe();
                else _pending.Enqueue(environment.StepFollowing(_ => _rate));
            }
            var result = _pending.Dequeue();
            // The equal-compute variant ends its episode early, where its child compute runs out
            // (judged by the result's own step: after a probe the environment is already further on).
            return !result.Done && result.Info[StepInfo.Step] >= keptSteps ? result with { Done = true } : result;
        }

        void Probe()
        {
            var settings = schedule.Settings;
            using var start = environment.Snapshot();
            var bounds = environment.Settings;
            var candidates = new[] { _rate, _rate / settings.Factor, _rate * settings.Factor }
                .Select(r => Math.Clamp(r, bounds.MinLearningRate, bounds.MaxLearningRate)).Distinct().ToArray();
            ChildSnapshot? best = null;
            var bestScore = double.PositiveInfinity;
            var bestRate = _rate;
            List<StepResult> bestResults = [];
            try
            {
                foreach (var candidate in candidates)
                {
                    environment.Restore(start);
                    var results = new List<StepResult>();
                    for (var i = 0; i < settings.Steps / bounds.DecisionInterval; i++)
                    {
                        results.Add(environment.StepFollowing(_ => candidate));
                        if (results[^1].Done) break;
                    }
                    var score = results[^1].Info[StepInfo.Diverged] > 0 ? double.NaN : environment.EvaluateValidation(settings.ValidationSamples).Loss;
                    if (!double.IsFinite(score)) score = double.PositiveInfinity;
                    // Strictly better only: the first candidate (the current rate) wins ties, and a diverged one is kept only when all diverged.
                    if (best is not null && !(score < bestScore)) continue;
                    best?.Dispose();
                    best = environment.Snapshot();
                    (bestScore, bestRate, bestResults) = (score, candidate, results);
                }
                environment.Restore(best!);
            }
            finally
            {
                best?.Dispose();
            }
            _rate = bestRate;
            foreach (var result in bestResults) _pending.Enqueue(result);
        }
    }
}
