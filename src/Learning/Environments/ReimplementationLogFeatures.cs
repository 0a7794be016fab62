namespace Alrs.Learning.Environments;

/// <summary>
/// The reimplementation's 7 features as its environment code computes them, made scale-free:
/// the prediction statistics on the validation logits (not softmax probabilities, which
/// saturate once the child is confident and so go flat late in training, when annealing
/// matters), and the log of every variance and of the rate, which span orders of magnitude.
/// </summary>
public sealed class ReimplementationLogFeatures : IObservationFeatures
{
    /// <summary>Keeps the log finite when a variance is exactly zero.</summary>
    const double Epsilon = 1e-12;

    public string Name => ObservationFeatures.ReimplementationLog;
    public bool OnLogits => true;

    public IReadOnlyList<string> FeatureNames { get; } =
        ["train_loss", "val_loss", "log_prediction_var", "log_prediction_change_var", "output_weight_mean", "log_output_weight_var", "log_lr"];

    public void Reset() { }

    public float[] Observe(DecisionMeasurement m) =>
    [
        (float)m.TrainLoss,
        (float)m.ValidationLoss,
        (float)Math.Log(m.PredictionVariance + Epsilon),
        // No change exists before the first interval: the log of "no variance" stands for it.
        (float)Math.Log((m.HasPredictionChange ? m.PredictionChangeVariance : 0) + Epsilon),
        (float)m.OutputWeightMean,
        (float)Math.Log(m.OutputWeightVariance + Epsilon),
        (float)Math.Log(m.LearningRate),
    ];
}
