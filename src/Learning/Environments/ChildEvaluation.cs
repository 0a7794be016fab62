using Alrs.Learning.Networks;
using static TorchSharp.torch;

namespace Alrs.Learning.Environments;

/// <summary>Mean cross-entropy loss and accuracy of a child network on a labelled set.</summary>
public sealed record ChildEvaluation(double Loss, double Accuracy)
{
    /// <summary>
    /// Evaluates <paramref name="network"/> on <paramref name="images"/> in chunks of
    /// <paramref name="batchSize"/>, in eval mode and without gradients; restores the
    /// network's previous mode.
    /// </summary>
    public static ChildEvaluation Of(ChildNetwork network, Tensor images, Tensor labels, int batchSize)
    {
        using var scope = NewDisposeScope();
        var sums = Sums(network, images, labels, batchSize, keep: Predictions.None, out _);
        var values = sums.cpu().data<double>().ToArray();
        var count = images.shape[0];
        return new ChildEvaluation(values[0] / count, values[1] / count);
    }

    /// <summary>Which outputs <see cref="Sums"/> keeps besides the sums.</summary>
    internal enum Predictions { None, Probabilities, Logits }

    /// <summary>
    /// (summed loss, correct count) as one float64 tensor on the device; optionally the outputs
    /// (N, 10) as softmax probabilities or raw logits. Runs under the caller's dispose scope.
    /// </summary>
    internal static Tensor Sums(ChildNetwork network, Tensor images, Tensor labels, int batchSize, Predictions keep, out Tensor? predictions)
    {
        var wasTraining = network.training;
        network.eval();
        try
        {
            using var _ = no_grad();
            var count = images.shape[0];
            var lossSum = zeros(1, ScalarType.Float64, images.device);
            var correct = zeros(1, ScalarType.Float64, images.device);
            var chunks = new List<Tensor>();
            for (long start = 0; start < count; start += batchSize)
            {
                var length = Math.Min(batchSize, count - start);
                var logits = network.forward(images.narrow(0, start, length));
                var target = labels.narrow(0, start, length);
                lossSum.add_(nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum).to(ScalarType.Float64));
                correct.add_(logits.argmax(1).eq(target).sum().to(ScalarType.Float64));
                if (keep == Predictions.Probabilities) chunks.Add(nn.functional.softmax(logits, 1));
                else if (keep == Predictions.Logits) chunks.Add(logits);
            }
            predictions = keep == Predictions.None ? null : cat(chunks, 0);
            return cat([lossSum, correct]);
        }
        finally
        {
            network.train(wasTraining);
        }
    }
}
