using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>
/// LeNet-5: conv 6@5×5 → max-pool 2 → conv 16@5×5 → max-pool 2 → dense 120 → 84 → 10, ReLU.
/// Built for 32×32 inputs; 28×28 inputs (MNIST) get 2 pixels of zero padding in the first
/// convolution, so both reach the classic 16×5×5 feature map.
/// </summary>
public sealed class LeNet5 : ChildNetwork
{
    public static readonly int[] SupportedSizes = [28, 32];

    readonly Conv2d conv1;
    readonly Conv2d conv2;
    readonly Linear dense1;
    readonly Linear dense2;
    readonly Linear output;

    LeNet5(int channels, int size, int classes) : base(nameof(LeNet5))
    {
        conv1 = nn.Conv2d(channels, 6, kernel_size: 5, padding: (32 - size) / 2);
        conv2 = nn.Conv2d(6, 16, kernel_size: 5);
        dense1 = nn.Linear(16 * 5 * 5, 120);
        dense2 = nn.Linear(120, 84);
        output = nn.Linear(84, classes);
        RegisterComponents();
    }

    /// <summary>Square 28- or 32-pixel images only (checked by <see cref="ChildNetworks.Create"/>).</summary>
    public static LeNet5 Create(int channels, int size, int classes, Device device, Generator? generator = null)
    {
        if (!SupportedSizes.Contains(size)) throw new ArgumentException($"LeNet-5 takes 28 or 32 pixel images, got {size}");
        var model = new LeNet5(channels, size, classes);
        if (generator is not null) SeededInitialisation.Apply(model, generator);
        model.to(device);
        return model;
    }

    public override Linear OutputLayer => output;
    public override (Tensor First, Tensor Second) ObservedWeights => (dense2.weight!, output.weight!);

    public override Tensor forward(Tensor images)
    {
        using var c1 = nn.functional.relu(conv1.forward(images));
        using var p1 = nn.functional.max_pool2d(c1, 2);
        using var c2 = nn.functional.relu(conv2.forward(p1));
        using var p2 = nn.functional.max_pool2d(c2, 2);
        using var flat = p2.flatten(1);
        using var d1 = nn.functional.relu(dense1.forward(flat));
        using var d2 = nn.functional.relu(dense2.forward(d1));
        return output.forward(d2);
    }
}
