namespace Alrs.Learning.Data;

/// <summary>
/// What alrs knows about one dataset: its name (also its directory under the data
/// directory), the files it consists of, and the per-channel normalisation constants.
/// </summary>
public sealed record DatasetInfo(DatasetId Id, string Name, IReadOnlyList<string> Files, float[] Mean, float[] Std)
{
    public static readonly DatasetInfo Mnist = new(DatasetId.Mnist, "mnist", IdxFiles, [0.1307f], [0.3081f]);
    public static readonly DatasetInfo FashionMnist = new(DatasetId.FashionMnist, "fashion-mnist", IdxFiles, [0.2860f], [0.3530f]);
    public static readonly DatasetInfo Cifar10 = new(DatasetId.Cifar10, "cifar10",
        [.. Cifar10TrainBatches, Cifar10TestBatch], [0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    /// <summary>MNIST, Fashion-MNIST and CIFAR-10 all have ten classes.</summary>
    public const int BuiltInClasses = 10;

    public const string TrainImages = "train-images-idx3-ubyte", TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte", TestLabels = "t10k-labels-idx1-ubyte";
    public static IReadOnlyList<string> IdxFiles => [TrainImages, TrainLabels, TestImages, TestLabels];
    public static IReadOnlyList<string> Cifar10TrainBatches => [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")];
    public const string Cifar10TestBatch = "test_batch.bin";

    public static IReadOnlyList<DatasetInfo> All { get; } = [Mnist, FashionMnist, Cifar10];

    public static DatasetInfo Of(DatasetId id) => All.First(d => d.Id == id);

    /// <summary>Parses a dataset name as typed on the command line or in configuration.</summary>
    public static DatasetInfo Parse(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new InputException($"unknown dataset '{name}' (known: {KnownNames})");

    public static string KnownNames => string.Join(", ", All.Select(d => d.Name));

    /// <summary>
    /// Where a file of this dataset lies in <paramref name="directory"/>: the raw name, else
    /// the name with .gz (IDX files may be kept compressed); null when neither exists.
    /// </summary>
    public static string? Locate(string directory, string file)
    {
        var raw = Path.Combine(directory, file);
        if (File.Exists(raw)) return raw;
        var compressed = raw + ".gz";
        return File.Exists(compressed) ? compressed : null;
    }
}
