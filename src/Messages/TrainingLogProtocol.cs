namespace Alrs.Messages;

// Training telemetry: environment actors publish every decision on their node's event
// stream, where the training log writer (TensorBoard) picks it up.

/// <summary>
/// One controller decision of <see cref="EnvironmentId"/>: decision <see cref="Decision"/>
/// (1-based) of episode <see cref="EpisodeId"/>, the learning rate the child trained with
/// over the interval and the losses that followed, under <see cref="Controller"/>'s policy.
/// </summary>
public sealed record DecisionTaken(string EnvironmentId, long EpisodeId, int Decision, double LearningRate, double TrainLoss, double ValidationLoss, int Controller = 0);
