using System.Globalization;

namespace Alrs.Learning.Networks;

/// <summary>What one entry of a network described in HOCON is.</summary>
public enum LayerKind
{
    /// <summary><c>conv OUT K</c>: a K×K convolution to OUT channels, stride 1, padding K/2 (the map keeps its size for odd K), then ReLU.</summary>
    Conv,
    /// <summary><c>maxpool K</c>: K×K max pooling with stride K.</summary>
    MaxPool,
    /// <summary><c>avgpool K</c>: K×K average pooling with stride K.</summary>
    AvgPool,
    /// <summary><c>linear N</c>: a dense layer of N units (the input is flattened first), then ReLU.</summary>
    Linear,
}

/// <summary>One layer of a described network: its kind, its size (channels, window or units) and, for a convolution, its kernel.</summary>
public sealed record NetworkLayer(LayerKind Kind, int Size, int Kernel = 0)
{
    /// <summary>
    /// Parses one entry, e.g. <c>"conv 16 3"</c>, <c>"maxpool 2"</c>, <c>"linear 64"</c>;
    /// <paramref name="source"/> names it in the error (the HOCON path and index).
    /// </summary>
    public static NetworkLayer Parse(string text, string source)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int Number(int index, string what)
        {
            if (words.Length <= index || !int.TryParse(words[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > 65_536)
                throw new InputException($"{source} '{text}': {what} must be a positive integer (write {Usage})");
            return value;
        }
        var kind = words.Length == 0 ? "" : words[0].ToLowerInvariant();
        var (layer, arguments) = kind switch
        {
            "conv" => (new NetworkLayer(LayerKind.Conv, Number(1, "the output channels"), Number(2, "the kernel size")), 3),
            "maxpool" => (new NetworkLayer(LayerKind.MaxPool, Number(1, "the pooling window")), 2),
            "avgpool" => (new NetworkLayer(LayerKind.AvgPool, Number(1, "the pooling window")), 2),
            "linear" => (new NetworkLayer(LayerKind.Linear, Number(1, "the width")), 2),
            _ => throw new InputException($"{source} '{text}': unknown layer (write {Usage})"),
        };
        if (words.Length > arguments) throw new InputException($"{source} '{text}': unexpected '{words[arguments]}' (write {Usage})");
        return layer;
    }

    public const string Usage = "conv OUT K, maxpool K, avgpool K or linear N";

    public override string ToString() => Kind switch
    {
        LayerKind.Conv => $"conv {Size} {Kernel}",
        LayerKind.MaxPool => $"maxpool {Size}",
        LayerKind.AvgPool => $"avgpool {Size}",
        _ => $"linear {Size}",
    };
}
