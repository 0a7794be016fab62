namespace Alrs.Learning.Environments;

/// <summary>
/// What the environment measured at one decision: every statistic any observation kind
/// needs, read from the device in one transfer. Variances are population variances over
/// all entries of the tensor. <see cref="Progress"/> is child steps taken / steps per episode.
/// </summary>
public sealed record DecisionMeasurement(
    double TrainLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    double PredictionVariance,
    double PredictionChangeVariance,
    bool HasPredictionChange,
    double OutputWeightMean,
    double OutputWeightVariance,
    double FirstWeightMean,
    double FirstWeightVariance,
    double SecondWeightMean,
    double SecondWeightVariance,
    double LearningRate,
    double Progress = 0)
{
    /// <summary>True when a loss is NaN or infinite: the child diverged.</summary>
    public bool Diverged => !double.IsFinite(TrainLoss) || !double.IsFinite(ValidationLoss);
}
