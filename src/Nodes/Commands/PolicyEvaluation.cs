using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;

namespace Alrs.Nodes.Commands;

/// <summary>One evaluation episode of the learned controller: final validation and test metrics.</summary>
public sealed record PolicyRun(int Seed, ChildEvaluation Validation, ChildEvaluation Test, bool Diverged, double FinalLearningRate);

/// <summary>
/// Runs the learned controller greedily (deterministic actions) through evaluation episodes
/// (no noise), on the same seeds as the baselines, so both train the same initial network on
/// the same data order; then measures the child on the validation and test sets.
/// </summary>
public static class PolicyEvaluation
{
    public static IReadOnlyList<PolicyRun> Run(LearningRateEnvironment environment, PpoAgent agent, IReadOnlyList<int> seeds, CancellationToken cancellation)
    {
        var runs = new List<PolicyRun>();
        foreach (var seed in seeds)
        {
            var observation = environment.Reset(seed);
            var random = new Random(seed);
            var diverged = false;
            var rate = double.NaN;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                var decision = agent.Act(observation, deterministic: true, random);
                var step = environment.Step(decision.Action);
                diverged = step.Info.GetValueOrDefault(StepInfo.Diverged) > 0;
                rate = step.Info.GetValueOrDefault(StepInfo.LearningRate, double.NaN);
                observation = step.Observation;
                if (step.Done) break;
            }
            runs.Add(new PolicyRun(seed, environment.EvaluateValidation(), environment.EvaluateTest(), diverged, rate));
        }
        return runs;
    }
}
