using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>
/// A classifier the controller trains: images (N, C, H, W) in, 10 logits out. The
/// environment reads two things besides the logits: the output layer (the reimplementation's
/// observation) and a pair of weight tensors (the authors' observation).
/// </summary>
public abstract class ChildNetwork(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>The final dense layer producing the logits.</summary>
    public abstract Linear OutputLayer { get; }

    /// <summary>
    /// The two weight tensors the authors' observation summarises (mean and variance of each):
    /// MLP: last hidden and output weights; LeNet-5: the last two dense layers' weights;
    /// ResNet-18: the final dense kernel and bias.
    /// </summary>
    public abstract (Tensor First, Tensor Second) ObservedWeights { get; }
}
