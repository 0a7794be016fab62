using Alrs.Learning;
using Alrs.Learning.Baselines;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace Alrs.Schedules;

/// <summary>
/// The schedules of this library, one line each, so a loop switches between a learned and a
/// hand-designed schedule by changing that line:
/// <code>
/// var schedule = Schedule.Learned(optimizer, "policy.alrspol", inputs, steps: 1000);
/// var schedule = Schedule.Knee(optimizer, steps: 1000);
/// ...
/// optimizer.step(); schedule.step(loss);
/// </code>
/// Hand schedules start from the optimizer's current rate (the peak of the knee schedule) and
/// are Alrs.Learning's own baseline schedules, so they match <c>alrs baselines</c>.
/// </summary>
public static class Schedule
{
    /// <summary>
    /// A learned policy read from an <c>.alrspol</c> file (what <c>alrs train</c> and
    /// <c>alrs evaluate</c> write). <paramref name="steps"/> is the training length the policy
    /// should assume; decision interval and rate bounds default to alrs's (10 steps, [1e-5, 0.1]).
    /// </summary>
    /// <exception cref="InputException">The file is missing, not a policy, or the policy does not fit the settings.</exception>
    public static LearnedSchedule Learned(Optimizer optimizer, string policyFile, ControllerInputs inputs, int steps,
        int decisionInterval = 10, double minLearningRate = 1e-5, double maxLearningRate = 0.1) =>
        Learned(optimizer, Load(policyFile), inputs,
            new EnvironmentSettings { Steps = steps, DecisionInterval = decisionInterval, MinLearningRate = minLearningRate, MaxLearningRate = maxLearningRate });

    /// <summary>A learned policy with every environment setting given (as <c>alrs evaluate</c> takes them from HOCON).</summary>
    public static LearnedSchedule Learned(Optimizer optimizer, PpoAgent policy, ControllerInputs inputs, EnvironmentSettings settings) =>
        new(optimizer, policy, settings with { Evaluation = true }, inputs);

    /// <summary>Reads a policy file; throws <see cref="InputException"/> naming the file when it cannot.</summary>
    public static PpoAgent Load(string policyFile)
    {
        byte[] blob;
        try
        {
            blob = File.ReadAllBytes(policyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"policy {policyFile}: cannot read it ({e.Message})", e);
        }
        try
        {
            return PpoAgent.FromBlob(blob);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InputException($"policy {policyFile}: not an alrs policy ({e.Message})", e);
        }
    }

    /// <summary>Explore–exploit (Iyer et al.): optional linear warm-up, the optimizer's rate until <paramref name="explore"/> of the steps, then linear decay to <paramref name="minimum"/>.</summary>
    public static HandSchedule Knee(Optimizer optimizer, int steps, double explore = 0.5, double warmup = 0, double minimum = 1e-5) =>
        new(optimizer, new KneeSchedule(Rate(optimizer), steps, explore, warmup, minimum));

    /// <summary>Cosine annealing from the optimizer's rate to <paramref name="minimum"/> at <paramref name="steps"/>.</summary>
    public static HandSchedule Cosine(Optimizer optimizer, int steps, double minimum = 1e-5) =>
        new(optimizer, new CosineAnnealingSchedule(Rate(optimizer), steps, minimum));

    /// <summary>The optimizer's rate times <paramref name="factor"/> every <paramref name="every"/> steps.</summary>
    public static HandSchedule StepDecay(Optimizer optimizer, int every, double factor) =>
        new(optimizer, new StepDecaySchedule(Rate(optimizer), every, factor));

    /// <summary>The optimizer's rate throughout.</summary>
    public static HandSchedule Constant(Optimizer optimizer) => new(optimizer, new ConstantSchedule(Rate(optimizer)));

    static double Rate(Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;
}
