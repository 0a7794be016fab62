using System.Globalization;
using Alrs.Torch;

namespace Alrs.Learning.Data;

/// <summary>
/// Loads a data set of one's own (<see cref="OwnDataset"/>) into train / validation / test
/// splits. Without a separate test part, <see cref="OwnDataset.TestFraction"/> of the samples is
/// held out as the test part by <see cref="ValidationSplit"/> with the fixed seed
/// <see cref="TestSplitSeed"/>, so every run and every command tests on the same samples; the
/// validation part is then held out of the rest for the run's seed, as for the built-in data
/// sets. The per-channel normalisation is measured on the training part alone and kept in
/// <see cref="DatasetSplits.Normalisation"/>.
/// </summary>
public static class OwnDatasetLoader
{
    /// <summary>The seed that picks the held-out test samples when there is no separate test part.</summary>
    public const int TestSplitSeed = 1_000_003;

    public static DatasetSplits Load(OwnDataset dataset, int seed = 0)
    {
        var (train, test) = Read(dataset);
        var classes = dataset.Classes > 0 ? dataset.Classes : train.Labels.Max() + 1;
        if (classes < 2) throw DatasetException.For(dataset.Path, $"holds only class 0; a classifier needs at least 2 classes");

        int[] pool, testIndices;
        if (test is null)
        {
            var held = Part(train.Count, dataset.TestFraction, "test-fraction", dataset.Path);
            var split = ValidationSplit.Choose(train.Count, held, TestSplitSeed);
            (pool, testIndices) = (split.Train, split.Validation);
        }
        else
        {
            (pool, testIndices) = (Enumerable.Range(0, train.Count).ToArray(), Enumerable.Range(0, test.Count).ToArray());
        }
        var validationSize = Part(pool.Length, dataset.ValidationFraction, "validation-fraction", dataset.Path);
        var validationSplit = ValidationSplit.Choose(pool.Length, validationSize, seed);
        var trainIndices = validationSplit.Train.Select(i => pool[i]).ToArray();
        var validationIndices = validationSplit.Validation.Select(i => pool[i]).ToArray();

        var normalisation = ChannelNormalisation.Measure(train, trainIndices);
        TorchRuntime.EnsureLoadable();
        return new DatasetSplits(dataset.Name,
            ImageNormalisation.ToImageSet(train, trainIndices, normalisation),
            ImageNormalisation.ToImageSet(train, validationIndices, normalisation),
            ImageNormalisation.ToImageSet(test ?? train, testIndices, normalisation),
            classes, normalisation);
    }

    /// <summary>The training samples and, when the data set has one, its separate test part.</summary>
    static (LabelledSamples Train, LabelledSamples? Test) Read(OwnDataset dataset)
    {
        switch (dataset.Format)
        {
            case OwnDataFormat.Csv:
            {
                var train = CsvSamplesReader.Read(dataset.Path, dataset.Csv, dataset.Classes);
                if (dataset.TestPath is null) return (train, null);
                var test = CsvSamplesReader.Read(dataset.TestPath, dataset.Csv, ClassCount(dataset, train));
                if (test.Channels != train.Channels)
                    throw DatasetException.For(dataset.TestPath, $"has {test.Channels} features per sample, but {dataset.Path} has {train.Channels}");
                return (train, test);
            }
            case OwnDataFormat.ImageFolder:
            {
                var classNames = ImageFolderReader.ClassNames(dataset.Path);
                if (dataset.Classes > 0 && dataset.Classes != classNames.Length)
                    throw DatasetException.For(dataset.Path, $"holds {classNames.Length} class folders, but alrs.env.own-data.classes = {dataset.Classes}");
                var train = ImageFolderReader.Read(dataset.Path, dataset.Images);
                if (dataset.TestPath is null) return (train, null);
                return (train, ImageFolderReader.Read(dataset.TestPath, dataset.Images, classNames, (train.Height, train.Width)));
            }
            case OwnDataFormat.Idx:
            {
                string? Locate(string name) => DatasetInfo.Locate(dataset.Path, name);
                if (!Directory.Exists(dataset.Path))
                    throw DatasetException.For(dataset.Path, $"missing (expected a folder with {DatasetInfo.TrainImages} and {DatasetInfo.TrainLabels}, raw or .gz)");
                var images = Locate(DatasetInfo.TrainImages) ?? throw DatasetException.For(Path.Combine(dataset.Path, DatasetInfo.TrainImages), "missing (nor .gz)");
                var labels = Locate(DatasetInfo.TrainLabels) ?? throw DatasetException.For(Path.Combine(dataset.Path, DatasetInfo.TrainLabels), "missing (nor .gz)");
                var train = LabelledSamples.FromRaw(IdxReader.ReadPair(images, labels, dataset.Classes > 0 ? dataset.Classes : 256));
                var (testImages, testLabels) = (Locate(DatasetInfo.TestImages), Locate(DatasetInfo.TestLabels));
                if (testImages is null && testLabels is null) return (train, null);
                if (testImages is null || testLabels is null)
                    throw DatasetException.For(dataset.Path, $"holds one of {DatasetInfo.TestImages} and {DatasetInfo.TestLabels} but not the other");
                var test = LabelledSamples.FromRaw(IdxReader.ReadPair(testImages, testLabels, ClassCount(dataset, train)));
                if (test.Height != train.Height || test.Width != train.Width)
                    throw DatasetException.For(testImages, $"holds {test.Width}x{test.Height} images, but {images} holds {train.Width}x{train.Height}");
                return (train, test);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(dataset), dataset.Format, "unknown format");
        }
    }

    static int ClassCount(OwnDataset dataset, LabelledSamples train) => dataset.Classes > 0 ? dataset.Classes : train.Labels.Max() + 1;

    /// <summary>The number of samples a fraction of <paramref name="count"/> holds out; at least one, and at least one left.</summary>
    static int Part(int count, double fraction, string key, string path)
    {
        var size = (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);
        if (size < 1 || size >= count)
            throw new InputException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: alrs.env.own-data.{key} = {fraction} of {count} samples holds out {size}; it must hold out at least 1 and leave at least 1"));
        return size;
    }
}
