using static TorchSharp.torch;

namespace Alrs.Learning.Environments;

/// <summary>
/// The feature expressions of a decision, shared by <see cref="LearningRateEnvironment"/> and
/// the schedules library (Alrs.Schedules' DecisionStatistics), so a learned schedule in a
/// user's loop sees exactly the numbers <c>alrs evaluate</c> would: the same tensor
/// expressions, in the same order and precision, read from the device in one transfer.
/// </summary>
public static class DecisionMeasurements
{
    /// <summary>
    /// Reads a decision's statistics. Variances are population variances over all entries.
    /// </summary>
    /// <param name="trainLoss">Mean training loss of the interval (one value, on the predictions' device).</param>
    /// <param name="lossSum">Summed validation cross-entropy (one value; float64).</param>
    /// <param name="correct">Correctly classified validation samples (one value; float64).</param>
    /// <param name="count">Validation samples.</param>
    /// <param name="predictions">The validation outputs the features observe (logits or probabilities).</param>
    /// <param name="previousPredictions">Those of the previous decision; null at the first (the change is then 0).</param>
    /// <param name="outputWeight">The output layer's weight.</param>
    /// <param name="firstWeight">First observed layer; with <paramref name="secondWeight"/> null, both layers' statistics are NaN.</param>
    /// <param name="secondWeight">Second observed layer.</param>
    public static DecisionMeasurement Read(Tensor trainLoss, Tensor lossSum, Tensor correct, double count, Tensor predictions, Tensor? previousPredictions,
        Tensor outputWeight, Tensor? firstWeight, Tensor? secondWeight, double learningRate, double progress)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = predictions.device;
        var change = previousPredictions is null ? zeros(1, ScalarType.Float64, device) : (predictions - previousPredictions).var(unbiased: false);
        var layers = firstWeight is { } first && secondWeight is { } second
            ? new[] { first.mean(), first.var(unbiased: false), second.mean(), second.var(unbiased: false) }
            : [full(1, double.NaN, device: device), full(1, double.NaN, device: device), full(1, double.NaN, device: device), full(1, double.NaN, device: device)];
        var statistics = cat(new[]
        {
            trainLoss.reshape(1), (lossSum / count).reshape(1), (correct / count).reshape(1),
            predictions.var(unbiased: false).reshape(1), change.reshape(1),
            outputWeight.mean().reshape(1), outputWeight.var(unbiased: false).reshape(1),
            layers[0].reshape(1), layers[1].reshape(1), layers[2].reshape(1), layers[3].reshape(1),
        }.Select(t => t.to(ScalarType.Float64, device)).ToArray());
        var v = statistics.cpu().data<double>().ToArray();
        return new DecisionMeasurement(v[0], v[1], v[2], v[3], v[4], previousPredictions is not null, v[5], v[6], v[7], v[8], v[9], v[10], learningRate, progress);
    }
}
