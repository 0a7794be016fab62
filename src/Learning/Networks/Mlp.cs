using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>
/// The reimplementation's multilayer perceptron: flattened image → 256 → 128 → 10 with ReLU.
/// Takes C·H·W inputs (784 on MNIST, 3072 on CIFAR-10).
/// </summary>
public sealed class Mlp : ChildNetwork
{
    public const int Hidden1 = 256, Hidden2 = 128;

    readonly Linear hidden1;
    readonly Linear hidden2;
    readonly Linear output;

    Mlp(int inputs, int classes) : base(nameof(Mlp))
    {
        hidden1 = nn.Linear(inputs, Hidden1);
        hidden2 = nn.Linear(Hidden1, Hidden2);
        output = nn.Linear(Hidden2, classes);
        RegisterComponents();
    }

    public static Mlp Create(int channels, int height, int width, int classes, Device device, Generator? generator = null)
    {
        var model = new Mlp(channels * height * width, classes);
        if (generator is not null) SeededInitialisation.Apply(model, generator);
        model.to(device);
        return model;
    }

    public override Linear OutputLayer => output;
    public override (Tensor First, Tensor Second) ObservedWeights => (hidden2.weight!, output.weight!);

    public override Tensor forward(Tensor images)
    {
        using var flat = images.flatten(1);
        using var a1 = nn.functional.relu(hidden1.forward(flat));
        using var a2 = nn.functional.relu(hidden2.forward(a1));
        return output.forward(a2);
    }
}
