using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>Builds a child network by architecture for a data set's image shape and class count.</summary>
public static class ChildNetworks
{
    public const string MlpName = "mlp", LeNet5Name = "lenet5", ResNet18Name = "resnet18";
    public static readonly IReadOnlyList<string> Architectures = [MlpName, LeNet5Name, ResNet18Name];

    /// <summary>
    /// A freshly initialised network on <paramref name="device"/>, initialised from
    /// <paramref name="seed"/> through a private generator (thread-safe and reproducible),
    /// or from torch's global generator when no seed is given.
    /// Throws <see cref="InputException"/> for an unknown architecture or an input shape it cannot take.
    /// </summary>
    public static ChildNetwork Create(string arch, int channels, int height, int width, Device device, int? seed = null) =>
        Create(ChildArchitecture.BuiltIn(arch), channels, height, width, Data.DatasetInfo.BuiltInClasses, device, seed);

    /// <summary>As above, for any architecture and <paramref name="classes"/> output units.</summary>
    public static ChildNetwork Create(ChildArchitecture architecture, int channels, int height, int width, int classes, Device device, int? seed = null)
    {
        var arch = architecture.Name;
        using var generator = seed is { } s ? new Generator(unchecked((ulong)s)) : null;
        if (channels < 1 || height < 1 || width < 1)
            throw new InputException($"child network input must be positive (C, H, W), got ({channels}, {height}, {width})");
        if (classes < 2) throw new InputException($"a child network needs at least 2 classes, got {classes}");
        if (!architecture.IsBuiltIn) return LayerListNetwork.Create(architecture, channels, height, width, classes, device, generator);
        switch (arch)
        {
            case MlpName:
                return Mlp.Create(channels, height, width, classes, device, generator);
            case LeNet5Name:
                if (height != width || !LeNet5.SupportedSizes.Contains(height))
                    throw new InputException($"architecture '{arch}' takes square 28 or 32 pixel images, got {height}x{width}");
                return LeNet5.Create(channels, height, classes, device, generator);
            case ResNet18Name:
                // Three stride-2 stages: anything from 8 pixels up still leaves a feature map to pool.
                if (height < 8 || width < 8)
                    throw new InputException($"architecture '{arch}' needs images of at least 8x8 pixels, got {height}x{width}");
                return ResNet18.Create(channels, classes, device, generator);
            default:
                throw new InputException($"unknown architecture '{arch}' (known: {string.Join(", ", Architectures)})");
        }
    }

    /// <summary>
    /// Builds <paramref name="architecture"/> once for the data set's shape and class count and
    /// drops it: a network the data cannot pass through fails here, before a run starts.
    /// </summary>
    public static void Check(ChildArchitecture architecture, int channels, int height, int width, int classes)
    {
        using var network = Create(architecture, channels, height, width, classes, CPU, seed: 0);
        using var _ = no_grad();
        using var input = zeros(1, channels, height, width);
        using var logits = network.forward(input);
    }
}
