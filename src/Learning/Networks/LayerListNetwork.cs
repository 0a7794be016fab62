using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Networks;

/// <summary>
/// A network described as a list of layers (<see cref="NetworkLayer"/>): convolutions and
/// pooling on the (C, H, W) map, then dense layers on its flattened values, ReLU after every
/// convolution and dense layer, and a dense output layer of one unit per class. Shapes are
/// followed through the list when it is built, so a list the input cannot pass through (a
/// pooling window larger than the map, a convolution after a dense layer) fails naming the layer.
/// </summary>
public sealed class LayerListNetwork : ChildNetwork
{
    readonly ModuleList<nn.Module<Tensor, Tensor>> layers = new();
    readonly IReadOnlyList<LayerKind> kinds;
    readonly Linear output;
    // An index, not a tensor field: RegisterComponents would register a tensor field as a buffer.
    readonly int observedLayer = -1;

    LayerListNetwork(ChildArchitecture architecture, int channels, int height, int width, int classes) : base(nameof(LayerListNetwork))
    {
        var (c, h, w) = (channels, height, width);
        long? flat = null;
        var kindList = new List<LayerKind>();
        for (var i = 0; i < architecture.Layers!.Count; i++)
        {
            var layer = architecture.Layers[i];
            string Where() => $"network '{architecture.Name}' layer {i} '{layer}'";
            switch (layer.Kind)
            {
                case LayerKind.Conv:
                    if (flat is not null) throw new InputException($"{Where()}: a convolution cannot follow a linear layer (linear layers flatten the map)");
                    var conv = nn.Conv2d(c, layer.Size, kernel_size: layer.Kernel, padding: layer.Kernel / 2);
                    (c, h, w) = (layer.Size, h + 2 * (layer.Kernel / 2) - layer.Kernel + 1, w + 2 * (layer.Kernel / 2) - layer.Kernel + 1);
                    layers.Add(conv);
                    observedLayer = layers.Count - 1;
                    break;
                case LayerKind.MaxPool or LayerKind.AvgPool:
                    if (flat is not null) throw new InputException($"{Where()}: pooling cannot follow a linear layer (linear layers flatten the map)");
                    if (layer.Size > h || layer.Size > w) throw new InputException($"{Where()}: the window is larger than the {h}x{w} map it gets");
                    layers.Add(layer.Kind == LayerKind.MaxPool ? nn.MaxPool2d(layer.Size) : nn.AvgPool2d(layer.Size));
                    (h, w) = (h / layer.Size, w / layer.Size);
                    break;
                case LayerKind.Linear:
                    var dense = nn.Linear(flat ?? (long)c * h * w, layer.Size);
                    flat = layer.Size;
                    layers.Add(dense);
                    observedLayer = layers.Count - 1;
                    break;
            }
            kindList.Add(layer.Kind);
        }
        kinds = kindList;
        output = nn.Linear(flat ?? (long)c * h * w, classes);
        RegisterComponents();
    }

    /// <summary>A network of <paramref name="architecture"/>'s layers for (C, H, W) inputs and <paramref name="classes"/> outputs.</summary>
    public static LayerListNetwork Create(ChildArchitecture architecture, int channels, int height, int width, int classes, Device device, Generator? generator = null)
    {
        if (architecture.Layers is null) throw new ArgumentException($"{architecture.Name} is a built-in architecture, not a layer list", nameof(architecture));
        var model = new LayerListNetwork(architecture, channels, height, width, classes);
        if (generator is not null) SeededInitialisation.Apply(model, generator);
        model.to(device);
        return model;
    }

    public override Linear OutputLayer => output;

    /// <summary>The last hidden layer's weights (dense or convolution) and the output weights; the output bias when there is no hidden layer.</summary>
    public override (Tensor First, Tensor Second) ObservedWeights => observedLayer < 0
        ? (output.bias!, output.weight!)
        : (layers[observedLayer] switch { Linear l => l.weight!, Conv2d c => c.weight!, _ => output.bias! }, output.weight!);

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = images;
        for (var i = 0; i < layers.Count; i++)
        {
            if (kinds[i] == LayerKind.Linear && x.dim() > 2) x = x.flatten(1);
            x = layers[i].forward(x);
            if (kinds[i] is LayerKind.Conv or LayerKind.Linear) x = nn.functional.relu(x);
        }
        if (x.dim() > 2) x = x.flatten(1);
        return output.forward(x).MoveToOuterDisposeScope();
    }
}
