using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>
/// ResNet-18 in its CIFAR form: a 3×3 stem without max-pool, four stages of two
/// <see cref="BasicBlock"/>s (64, 128, 256, 512 channels; stride 2 from the second stage),
/// global average pooling and one dense layer.
/// </summary>
public sealed class ResNet18 : ChildNetwork
{
    static readonly int[] StageChannels = [64, 128, 256, 512];

    readonly Conv2d stem;
    readonly BatchNorm2d stemNorm;
    readonly ModuleList<BasicBlock> blocks;
    readonly Linear output;

    ResNet18(int channels, int classes) : base(nameof(ResNet18))
    {
        stem = nn.Conv2d(channels, 64, kernel_size: 3, padding: 1, bias: false);
        stemNorm = nn.BatchNorm2d(64);
        blocks = new ModuleList<BasicBlock>();
        var inputs = 64;
        for (var stage = 0; stage < StageChannels.Length; stage++)
        {
            var width = StageChannels[stage];
            blocks.Add(new BasicBlock($"stage{stage + 1}_block1", inputs, width, stride: stage == 0 ? 1 : 2));
            blocks.Add(new BasicBlock($"stage{stage + 1}_block2", width, width, stride: 1));
            inputs = width;
        }
        output = nn.Linear(512, classes);
        RegisterComponents();
    }

    public static ResNet18 Create(int channels, int classes, Device device, Generator? generator = null)
    {
        var model = new ResNet18(channels, classes);
        if (generator is not null) SeededInitialisation.Apply(model, generator);
        model.to(device);
        return model;
    }

    public override Linear OutputLayer => output;
    public override (Tensor First, Tensor Second) ObservedWeights => (output.weight!, output.bias!);

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(stemNorm.forward(stem.forward(images)));
        foreach (var block in blocks) x = block.forward(x);
        var pooled = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return output.forward(pooled).MoveToOuterDisposeScope();
    }
}
