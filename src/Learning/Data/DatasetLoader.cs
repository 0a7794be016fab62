using Alrs.Torch;

namespace Alrs.Learning.Data;

/// <summary>
/// Loads a dataset from the data directory into train / validation / test splits.
/// Train is the official training set minus <c>validationSize</c> samples held out
/// deterministically for <c>seed</c> (see <see cref="ValidationSplit"/>); test is the
/// official test set. Images are float32 (N, C, H, W), normalised per channel; labels int64.
/// </summary>
public static class DatasetLoader
{
    public const int DefaultValidationSize = 10000;

    public static DatasetSplits Load(DatasetId id, string dataDir, int validationSize = DefaultValidationSize, int seed = 0) =>
        Load(DatasetInfo.Of(id), dataDir, validationSize, seed);

    public static DatasetSplits Load(DatasetInfo dataset, string dataDir, int validationSize = DefaultValidationSize, int seed = 0)
    {
        var directory = DataDirectory.Resolve(dataset, dataDir);
        var (train, test) = ReadOfficial(dataset, directory);
        var split = ValidationSplit.Choose(train.Count, validationSize, seed);

        TorchRuntime.EnsureLoadable();
        return new DatasetSplits(dataset.Name,
            ImageNormalisation.ToImageSet(train, split.Train, dataset.Mean, dataset.Std),
            ImageNormalisation.ToImageSet(train, split.Validation, dataset.Mean, dataset.Std),
            ImageNormalisation.ToImageSet(test, Enumerable.Range(0, test.Count).ToArray(), dataset.Mean, dataset.Std),
            DatasetInfo.BuiltInClasses, new ChannelNormalisation(dataset.Mean, dataset.Std));
    }

    /// <summary>The official training and test sets as stored, in file order.</summary>
    public static (RawImages Train, RawImages Test) ReadOfficial(DatasetInfo dataset, string directory)
    {
        string File(string name) => DatasetInfo.Locate(directory, name) ?? Path.Combine(directory, name);

        return dataset.Id switch
        {
            DatasetId.Mnist or DatasetId.FashionMnist => (
                IdxReader.ReadPair(File(DatasetInfo.TrainImages), File(DatasetInfo.TrainLabels)),
                IdxReader.ReadPair(File(DatasetInfo.TestImages), File(DatasetInfo.TestLabels))),
            DatasetId.Cifar10 => (
                RawImages.Concat([.. DatasetInfo.Cifar10TrainBatches.Select(b => Cifar10Reader.ReadBatch(File(b)))]),
                Cifar10Reader.ReadBatch(File(DatasetInfo.Cifar10TestBatch))),
            _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset.Id, "unknown dataset"),
        };
    }
}
