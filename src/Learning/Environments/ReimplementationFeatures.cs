namespace Alrs.Learning.Environments;

/// <summary>
/// alrs's first version of the reimplementation's 7 features: mean train loss over the interval,
/// validation loss, variance of the validation predictions (softmax probabilities), variance of
/// their change since the previous decision (0 at the episode's first observation), mean and
/// variance of the output layer's weights, current learning rate, all raw. The reimplementation
/// itself takes the prediction statistics on logits: <see cref="ReimplementationLogFeatures"/>.
/// </summary>
public sealed class ReimplementationFeatures : IObservationFeatures
{
    public string Name => ObservationFeatures.Reimplementation;

    public IReadOnlyList<string> FeatureNames { get; } =
        ["train_loss", "val_loss", "prediction_var", "prediction_change_var", "output_weight_mean", "output_weight_var", "lr"];

    public void Reset() { }

    public float[] Observe(DecisionMeasurement m) =>
    [
        (float)m.TrainLoss,
        (float)m.ValidationLoss,
        (float)m.PredictionVariance,
        (float)(m.HasPredictionChange ? m.PredictionChangeVariance : 0),
        (float)m.OutputWeightMean,
        (float)m.OutputWeightVariance,
        (float)m.LearningRate,
    ];
}
