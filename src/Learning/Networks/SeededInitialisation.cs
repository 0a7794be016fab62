using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>
/// PyTorch's default initialisation, drawn from an explicit generator instead of torch's
/// global one, so concurrent environments (one per actor thread) stay reproducible.
/// Dense and convolution weights and biases ~ U(−1/√fan_in, 1/√fan_in) (kaiming-uniform
/// with a = √5, as torch does); batch norm scale 1, shift 0.
/// </summary>
public static class SeededInitialisation
{
    public static void Apply(nn.Module network, Generator generator)
    {
        using var _ = no_grad();
        foreach (var (_, module) in network.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    Uniform(linear.weight!, linear.bias, linear.weight!.shape[1], generator);
                    break;
                case Conv2d conv:
                    var shape = conv.weight!.shape;
                    Uniform(conv.weight, conv.bias, shape[1] * shape[2] * shape[3], generator);
                    break;
                case BatchNorm2d norm:
                    norm.weight?.fill_(1);
                    norm.bias?.zero_();
                    break;
            }
        }
    }

    static void Uniform(Tensor weight, Tensor? bias, long fanIn, Generator generator)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
    }
}
