namespace Alrs.Learning.Rl;

/// <summary>
/// A gym-like environment. <see cref="Reset"/> starts an episode; <see cref="Step"/>
/// applies one action. Observations are raw (unnormalised): the policy normalises.
/// </summary>
public interface ILearningEnvironment : IDisposable
{
    int ObservationSize { get; }
    ActionSpace ActionSpace { get; }
    float[] Reset(int seed);
    StepResult Step(float[] action);
}

/// <summary>
/// The outcome of one step. <see cref="Info"/> carries diagnostics (e.g. "lr", "train_loss",
/// "val_loss", "diverged" = 1 when a non-finite loss ended the episode).
/// </summary>
public sealed record StepResult(float[] Observation, float Reward, bool Done, IReadOnlyDictionary<string, double> Info);
