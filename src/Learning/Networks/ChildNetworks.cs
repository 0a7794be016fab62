using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>Builds a child network by architecture name for a data set's image shape.</summary>
public static class ChildNetworks
{
    public const string MlpName = "mlp", LeNet5Name = "lenet5", ResNet18Name = "resnet18";
    public static readonly IReadOnlyList<string> Architectures = [MlpName, LeNet5Name, ResNet18Name];
    public const int Classes = 10;

    /// <summary>
    /// A freshly initialised network on <paramref name="device"/>, initialised from
    /// <paramref name="seed"/> through a private generator (thread-safe and reproducible),
    /// or from torch's global generator when no seed is given.
    /// Throws <see cref="InputException"/> for an unknown architecture or an input shape it cannot take.
    /// </summary>
    public static ChildNetwork Create(string arch, int channels, int height, int width, Device device, int? seed = null)
    {
        using var generator = seed is { } s ? new Generator(unchecked((ulong)s)) : null;
        if (channels < 1 || height < 1 || width < 1)
            throw new InputException($"child network input must be positive (C, H, W), got ({channels}, {height}, {width})");
        switch (arch)
        {
            case MlpName:
                return Mlp.Create(channels, height, width, Classes, device, generator);
            case LeNet5Name:
                if (height != width || !LeNet5.SupportedSizes.Contains(height))
                    throw new InputException($"architecture '{arch}' takes square 28 or 32 pixel images, got {height}x{width}");
                return LeNet5.Create(channels, height, Classes, device, generator);
            case ResNet18Name:
                // Three stride-2 stages: anything from 8 pixels up still leaves a feature map to pool.
                if (height < 8 || width < 8)
                    throw new InputException($"architecture '{arch}' needs images of at least 8x8 pixels, got {height}x{width}");
                return ResNet18.Create(channels, Classes, device, generator);
            default:
                throw new InputException($"unknown architecture '{arch}' (known: {string.Join(", ", Architectures)})");
        }
    }
}
