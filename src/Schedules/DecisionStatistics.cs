using Alrs.Learning.Environments;
using static TorchSharp.torch;

namespace Alrs.Schedules;

/// <summary>
/// Measures a user's network the way LearningRateEnvironment measures a child at a decision,
/// from the logits of one validation batch, into Alrs.Learning's
/// <see cref="DecisionMeasurement"/> (which Alrs.Learning's features then turn into the
/// observation). The tensor expressions are the environment's, in the same order and
/// precision, so a learned schedule in a user's loop sees the numbers <c>alrs evaluate</c>
/// would (Schedules.Tests checks the rates match exactly). Keeps the previous predictions for
/// the prediction-change statistic.
/// </summary>
sealed class DecisionStatistics(ControllerInputs inputs, bool onLogits) : IDisposable
{
    Tensor? _previousPredictions;

    /// <param name="trainLoss">Mean training loss of the interval; null at the start, where the validation loss stands in for it.</param>
    public DecisionMeasurement Measure(double? trainLoss, double learningRate, double progress)
    {
        using var scope = NewDisposeScope();
        Tensor logits;
        using (no_grad()) logits = inputs.ValidationLogits();
        using var _ = no_grad();
        var labels = inputs.ValidationLabels.to(logits.device);
        var lossSum = zeros(1, ScalarType.Float64, logits.device).add_(nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).to(ScalarType.Float64));
        var correct = zeros(1, ScalarType.Float64, logits.device).add_(logits.argmax(1).eq(labels).sum().to(ScalarType.Float64));
        var predictions = onLogits ? logits : nn.functional.softmax(logits, 1);
        var count = (double)logits.shape[0];
        var change = _previousPredictions is null ? zeros(1, ScalarType.Float64, logits.device) : (predictions - _previousPredictions).var(unbiased: false);
        var output = inputs.OutputWeight;
        // Only the authors features read the first two layers; without them their statistics are NaN.
        var layers = inputs is { FirstWeight: { } first, SecondWeight: { } second }
            ? new[] { first.mean(), first.var(unbiased: false), second.mean(), second.var(unbiased: false) }
            : [full(1, double.NaN), full(1, double.NaN), full(1, double.NaN), full(1, double.NaN)];
        var valLoss = lossSum / count;
        var statistics = cat(new[]
        {
            valLoss.reshape(1), (correct / count).reshape(1),
            predictions.var(unbiased: false).reshape(1), change.reshape(1),
            output.mean().reshape(1), output.var(unbiased: false).reshape(1),
            layers[0].reshape(1), layers[1].reshape(1), layers[2].reshape(1), layers[3].reshape(1),
        }.Select(t => t.to(ScalarType.Float64).cpu()).ToArray());
        var v = statistics.data<double>().ToArray();

        var hadPrevious = _previousPredictions is not null;
        _previousPredictions?.Dispose();
        _previousPredictions = predictions.detach().DetachFromDisposeScope();
        return new DecisionMeasurement(trainLoss ?? v[0], v[0], v[1], v[2], v[3], hadPrevious, v[4], v[5], v[6], v[7], v[8], v[9], learningRate, progress);
    }

    public void Dispose() => _previousPredictions?.Dispose();
}
