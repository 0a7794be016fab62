using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>
/// ResNet's basic residual block: two 3×3 convolutions with batch norm, plus the input;
/// a 1×1 strided projection replaces the identity when the shape changes.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly BatchNorm2d norm1;
    readonly Conv2d conv2;
    readonly BatchNorm2d norm2;
    readonly Conv2d? projection;
    readonly BatchNorm2d? projectionNorm;

    public BasicBlock(string name, int inputs, int outputs, int stride) : base(name)
    {
        conv1 = nn.Conv2d(inputs, outputs, kernel_size: 3, stride: stride, padding: 1, bias: false);
        norm1 = nn.BatchNorm2d(outputs);
        conv2 = nn.Conv2d(outputs, outputs, kernel_size: 3, padding: 1, bias: false);
        norm2 = nn.BatchNorm2d(outputs);
        if (stride != 1 || inputs != outputs)
        {
            projection = nn.Conv2d(inputs, outputs, kernel_size: 1, stride: stride, bias: false);
            projectionNorm = nn.BatchNorm2d(outputs);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var residual = nn.functional.relu(norm1.forward(conv1.forward(input)));
        residual = norm2.forward(conv2.forward(residual));
        var shortcut = projection is null ? input : projectionNorm!.forward(projection.forward(input));
        return nn.functional.relu(residual + shortcut).MoveToOuterDisposeScope();
    }
}
