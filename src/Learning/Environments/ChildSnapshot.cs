using Alrs.Learning.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Environments;

/// <summary>
/// A copy of a <see cref="LearningRateEnvironment"/> episode's training state, taken by
/// <see cref="LearningRateEnvironment.Snapshot"/> and put back by
/// <see cref="LearningRateEnvironment.Restore"/>: what an online tuner needs to try a rate
/// and leave no trace. Restoring is bit-exact: the weights, buffers and measurement sums are
/// copied, the optimizer state goes through TorchSharp's own serialisation (a byte image of
/// its tensors and step counts), and the data order is the generator's state plus the current
/// permutation and position in it.
/// </summary>
public sealed class ChildSnapshot : IDisposable
{
    readonly Tensor[] _weights;
    readonly byte[] _optimizer;
    readonly Tensor _dataOrderState;
    readonly Tensor? _permutation;
    readonly Tensor _trainLossSum;
    readonly Tensor? _previousPredictions;

    ChildSnapshot(Tensor[] weights, byte[] optimizer, Tensor dataOrderState, Tensor? permutation, Tensor trainLossSum, Tensor? previousPredictions,
        long permutationOffset, int step, bool done, double learningRate)
    {
        (_weights, _optimizer, _dataOrderState, _permutation, _trainLossSum, _previousPredictions) =
            (weights, optimizer, dataOrderState, permutation, trainLossSum, previousPredictions);
        (PermutationOffset, Step, Done, LearningRate) = (permutationOffset, step, done, learningRate);
    }

    /// <summary>Position of the next batch in the current permutation.</summary>
    public long PermutationOffset { get; }
    /// <summary>Child steps of the kept trajectory at the snapshot.</summary>
    public int Step { get; }
    /// <summary>Whether the episode was over (the last step taken, or diverged).</summary>
    public bool Done { get; }
    /// <summary>The child's learning rate at the snapshot.</summary>
    public double LearningRate { get; }

    internal static ChildSnapshot Capture(ChildNetwork network, optim.Optimizer optimizer, Generator dataOrder, Tensor? permutation, long permutationOffset,
        int step, bool done, double learningRate, Tensor trainLossSum, Tensor? previousPredictions)
    {
        using var _ = no_grad();
        var weights = State(network).Select(t => t.clone().DetachFromDisposeScope()).ToArray();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) Serialisable(optimizer).save_state_dict(writer);
        return new ChildSnapshot(weights, stream.ToArray(), dataOrder.get_state().DetachFromDisposeScope(),
            permutation?.clone().DetachFromDisposeScope(), trainLossSum.clone().DetachFromDisposeScope(), previousPredictions?.clone().DetachFromDisposeScope(),
            permutationOffset, step, done, learningRate);
    }

    /// <summary>Copies the weights, optimizer state, data generator state and train-loss sum back into the episode's own objects.</summary>
    internal void RestoreInto(ChildNetwork network, optim.Optimizer optimizer, Generator dataOrder, Tensor trainLossSum)
    {
        using (no_grad())
        {
            var state = State(network);
            if (state.Count != _weights.Length) throw new InvalidOperationException("snapshot of a different network");
            for (var i = 0; i < state.Count; i++) state[i].copy_(_weights[i]);
            trainLossSum.copy_(_trainLossSum);
        }
        using var stream = new MemoryStream(_optimizer, writable: false);
        using var reader = new BinaryReader(stream);
        Serialisable(optimizer).load_state_dict(reader);
        dataOrder.set_state(_dataOrderState);
    }

    internal Tensor? CopyOfPermutation() => _permutation?.clone().DetachFromDisposeScope();

    internal Tensor? CopyOfPreviousPredictions() => _previousPredictions?.clone().DetachFromDisposeScope();

    /// <summary>Parameters then buffers (batch-norm statistics), in module order.</summary>
    static List<Tensor> State(ChildNetwork network) => [.. network.parameters(), .. network.buffers()];

    static OptimizerHelper Serialisable(optim.Optimizer optimizer) =>
        optimizer as OptimizerHelper ?? throw new InvalidOperationException($"optimizer {optimizer.GetType().Name} cannot save its state");

    public void Dispose()
    {
        foreach (var weight in _weights) weight.Dispose();
        _dataOrderState.Dispose();
        _permutation?.Dispose();
        _trainLossSum.Dispose();
        _previousPredictions?.Dispose();
    }
}
