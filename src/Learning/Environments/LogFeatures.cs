namespace Alrs.Learning.Environments;

/// <summary>
/// <see cref="ReimplementationLogFeatures"/> with every scale-carrying feature in log space and
/// no sentinel: the log of both losses (a loss falls by orders of magnitude over an episode,
/// and the late, small differences are the ones annealing decides on), and instead of
/// log(0 + ε) = −27.6 for the prediction change before the first interval — an outlier once
/// per episode that inflates that feature's running variance — a 0 there plus a flag that
/// marks the observation made at reset.
/// </summary>
public sealed class LogFeatures : IObservationFeatures
{
    /// <summary>Keeps a log finite when a variance or loss is exactly zero.</summary>
    const double Epsilon = 1e-12;

    public string Name => ObservationFeatures.Log;
    public bool OnLogits => true;

    public IReadOnlyList<string> FeatureNames { get; } =
    [
        "log_train_loss", "log_val_loss", "log_prediction_var", "log_prediction_change_var",
        "output_weight_mean", "log_output_weight_var", "log_lr", "at_reset",
    ];

    public void Reset() { }

    public float[] Observe(DecisionMeasurement m) =>
    [
        (float)Math.Log(m.TrainLoss + Epsilon),
        (float)Math.Log(m.ValidationLoss + Epsilon),
        (float)Math.Log(m.PredictionVariance + Epsilon),
        m.HasPredictionChange ? (float)Math.Log(m.PredictionChangeVariance + Epsilon) : 0f,
        (float)m.OutputWeightMean,
        (float)Math.Log(m.OutputWeightVariance + Epsilon),
        (float)Math.Log(m.LearningRate),
        m.HasPredictionChange ? 0f : 1f,
    ];
}
