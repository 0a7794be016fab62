using Alrs.Learning.Environments;
using static TorchSharp.torch;

namespace Alrs.Schedules;

/// <summary>
/// Measures a user's network the way LearningRateEnvironment measures a child at a decision,
/// from the logits of one validation batch, into Alrs.Learning's
/// <see cref="DecisionMeasurement"/> (which Alrs.Learning's features then turn into the
/// observation). The statistics come from the environment's own expressions
/// (<see cref="DecisionMeasurements"/>), so a learned schedule in a user's loop sees the
/// numbers <c>alrs evaluate</c> would (Schedules.Tests checks the rates match exactly). Keeps
/// the previous predictions for the prediction-change statistic.
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
        // At the start the validation loss stands in for the training loss, as at an episode's reset.
        var interval = trainLoss is { } loss ? tensor(loss, ScalarType.Float64, logits.device) : lossSum / count;
        var measurement = DecisionMeasurements.Read(interval, lossSum, correct, count, predictions, _previousPredictions,
            inputs.OutputWeight, inputs.FirstWeight, inputs.SecondWeight, learningRate, progress);

        _previousPredictions?.Dispose();
        _previousPredictions = predictions.detach().DetachFromDisposeScope();
        return measurement;
    }

    public void Dispose() => _previousPredictions?.Dispose();
}
