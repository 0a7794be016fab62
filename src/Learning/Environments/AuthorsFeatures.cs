namespace Alrs.Learning.Environments;

/// <summary>
/// The authors' 9 features: validation loss; exponential moving averages of the log
/// variance of the validation predictions and of their change; train loss; mean and
/// variance of the network's two observed weight tensors; current learning rate.
/// </summary>
public sealed class AuthorsFeatures : IObservationFeatures
{
    /// <summary>Weight of the past in the moving averages (a choice: the brief fixes none).</summary>
    public const double Decay = 0.9;
    /// <summary>Keeps the log finite when a variance is exactly zero.</summary>
    const double Epsilon = 1e-12;

    double? _logPredictionVariance;
    double? _logChangeVariance;

    public string Name => ObservationFeatures.Authors;

    public IReadOnlyList<string> FeatureNames { get; } =
    [
        "val_loss", "ema_log_prediction_var", "ema_log_prediction_change_var", "train_loss",
        "weight1_mean", "weight1_var", "weight2_mean", "weight2_var", "lr",
    ];

    public void Reset()
    {
        _logPredictionVariance = null;
        _logChangeVariance = null;
    }

    public float[] Observe(DecisionMeasurement m)
    {
        _logPredictionVariance = Average(_logPredictionVariance, Math.Log(m.PredictionVariance + Epsilon));
        // No change exists before the first interval: the average starts at the first real one.
        if (m.HasPredictionChange)
            _logChangeVariance = Average(_logChangeVariance, Math.Log(m.PredictionChangeVariance + Epsilon));
        return
        [
            (float)m.ValidationLoss,
            (float)_logPredictionVariance.Value,
            (float)(_logChangeVariance ?? 0),
            (float)m.TrainLoss,
            (float)m.FirstWeightMean,
            (float)m.FirstWeightVariance,
            (float)m.SecondWeightMean,
            (float)m.SecondWeightVariance,
            (float)m.LearningRate,
        ];
    }

    static double Average(double? previous, double value) => previous is { } p ? Decay * p + (1 - Decay) * value : value;
}
