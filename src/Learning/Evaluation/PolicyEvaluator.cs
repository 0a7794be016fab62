using System.Diagnostics;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;

namespace Alrs.Learning.Evaluation;

/// <summary>
/// Runs a learned policy deterministically (argmax / Gaussian mean) on evaluation episodes,
/// so its results compare with the baselines': same seeds, same child initialisation and
/// data order, no noise.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Throws <see cref="InputException"/> when the policy cannot drive the environment.</summary>
    public static void CheckCompatible(PpoAgent agent, LearningRateEnvironment environment)
    {
        if (agent.ObservationSize != environment.ObservationSize || agent.ActionSpace != environment.ActionSpace)
            throw new InputException(
                $"the policy expects {agent.ObservationSize} observations and {Describe(agent.ActionSpace)} actions, but the environment " +
                $"(observation = {environment.Settings.Observation}, action = {environment.Settings.Action}) gives {environment.ObservationSize} " +
                $"observations and {Describe(environment.ActionSpace)} actions: evaluate with the settings the policy was trained with");
    }

    /// <summary>One episode with <paramref name="seed"/>, then full validation and test evaluations.</summary>
    public static PolicyRun Run(PpoAgent agent, LearningRateEnvironment environment, int seed, CancellationToken cancellation = default)
    {
        if (!environment.Settings.Evaluation)
            throw new ArgumentException("policy evaluation needs an environment in evaluation mode (no noise)", nameof(environment));
        CheckCompatible(agent, environment);
        var clock = Stopwatch.StartNew();
        var unused = new Random(0); // deterministic acting draws nothing
        var observation = environment.Reset(seed);
        var trace = new List<PolicyDecisionTrace>();
        var diverged = false;
        double total = 0;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var decision = agent.Act(observation, deterministic: true, unused);
            var result = environment.Step(decision.Action);
            var info = result.Info;
            trace.Add(new PolicyDecisionTrace((int)info[StepInfo.Step], decision.Action[0], info[StepInfo.LearningRate],
                info[StepInfo.TrainLoss], info[StepInfo.ValidationLoss], info[StepInfo.ValidationAccuracy], result.Reward));
            total += result.Reward;
            diverged = info[StepInfo.Diverged] > 0;
            observation = result.Observation;
            if (result.Done) break;
        }
        return new PolicyRun(seed, environment.EvaluateValidation(), environment.EvaluateTest(), diverged, total, trace, clock.Elapsed);
    }

    /// <summary>Runs every seed; <paramref name="progress"/> hears about each finished run.</summary>
    public static PolicyEvaluation Evaluate(PpoAgent agent, LearningRateEnvironment environment, IReadOnlyList<int> seeds,
        Action<int, int, PolicyRun>? progress = null, CancellationToken cancellation = default)
    {
        var runs = new List<PolicyRun>();
        foreach (var seed in seeds)
        {
            runs.Add(Run(agent, environment, seed, cancellation));
            progress?.Invoke(runs.Count, seeds.Count, runs[^1]);
        }
        return new PolicyEvaluation(runs);
    }

    static string Describe(Rl.ActionSpace space) =>
        space.IsDiscrete ? $"discrete({space.Size})" : $"continuous[{space.Low:G4}, {space.High:G4}]";
}
