using System.Buffers.Binary;
using Alrs.Learning.Data;
using Alrs.Tests.Shared;

namespace Alrs.Learning.Tests.Data;

public sealed class OwnDatasetLoaderTests : IDisposable
{
    readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_csv_is_split_into_disjoint_parts_the_test_part_fixed_and_normalised_from_the_training_part()
    {
        var path = OwnDataSets.WriteCsv(_temp.File("boxes.csv"), samples: 200);
        var dataset = new OwnDataset("boxes", path, OwnDataFormat.Csv);

        using var data = OwnDatasetLoader.Load(dataset);
        using var again = OwnDatasetLoader.Load(dataset, seed: 5);

        Assert.Equal((3, 3, 1, 1), (data.Classes, data.Channels, data.Height, data.Width));
        // 20 % test (40), then 20 % of the other 160 for validation (32).
        Assert.Equal((128, 32, 40), (data.Train.Count, data.Validation.Count, data.Test.Count));
        // The test samples do not depend on the run's seed (their normalisation does, through the
        // training part); the validation part does.
        Assert.Equal(Raw(data.Test, data), Raw(again.Test, again), new ToleranceComparer());
        Assert.Equal(data.Test.Labels.data<long>().ToArray(), again.Test.Labels.data<long>().ToArray());
        Assert.NotEqual(Raw(data.Validation, data), Raw(again.Validation, again), new ToleranceComparer());
        // Standardised on the training part: mean 0, std 1 per feature there; the weight column (0..100) had a large mean.
        var train = data.Train.Images.squeeze(-1).squeeze(-1);
        using var means = train.mean([0]);
        using var deviations = (train - means).square().mean([0]).sqrt();
        Assert.All(means.data<float>().ToArray(), m => Assert.Equal(0f, m, 1e-4f));
        Assert.All(deviations.data<float>().ToArray(), s => Assert.Equal(1f, s, 1e-3f));
        Assert.True(data.Normalisation!.Mean[2] > 20, $"weight mean {data.Normalisation.Mean[2]}");
    }

    [Fact]
    public void A_separate_test_file_is_the_test_part_and_its_labels_are_held_to_the_training_classes()
    {
        var train = OwnDataSets.WriteCsv(_temp.File("train.csv"), samples: 50);
        var test = _temp.File("test.csv");
        File.WriteAllText(test, OwnDataSets.CsvHeader + "\n0.1,0.2,30,1\n0.5,0.2,10,0\n0.5,0.2,10,4\n");

        var error = Assert.Throws<DatasetException>(() => OwnDatasetLoader.Load(new OwnDataset("boxes", train, OwnDataFormat.Csv) { TestPath = test }));
        Assert.Equal($"{test} line 4: label 4 is outside the 3 classes [0, 3)", error.Message);

        File.WriteAllLines(test, File.ReadAllLines(test)[..3]);
        using var data = OwnDatasetLoader.Load(new OwnDataset("boxes", train, OwnDataFormat.Csv) { TestPath = test });
        Assert.Equal((40, 10, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
    }

    [Fact]
    public void An_image_folder_has_as_many_classes_as_class_folders()
    {
        var folder = OwnDataSets.WriteShapes(_temp.File("shapes"), perClass: 10, size: 8);

        using var data = OwnDatasetLoader.Load(new OwnDataset("shapes", folder, OwnDataFormat.ImageFolder) { TestFraction = 0.1 });

        Assert.Equal((3, 3, 8, 8), (data.Classes, data.Channels, data.Height, data.Width));
        Assert.Equal(30, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.Equal(3, data.Normalisation!.Mean.Length);

        var error = Assert.Throws<DatasetException>(() => OwnDatasetLoader.Load(new OwnDataset("shapes", folder, OwnDataFormat.ImageFolder) { Classes = 4 }));
        Assert.Equal($"{folder}: holds 3 class folders, but alrs.env.own-data.classes = 4", error.Message);
    }

    [Fact]
    public void An_idx_folder_infers_its_classes_and_a_stated_count_rejects_a_label_naming_the_file_and_item()
    {
        var folder = Directory.CreateDirectory(_temp.File("idx")).FullName;
        var labels = Enumerable.Range(0, 40).Select(i => (byte)(i % 4)).ToArray();
        WriteIdx(Path.Combine(folder, DatasetInfo.TrainImages), 0x803, [40, 5, 6], [.. Enumerable.Range(0, 40 * 30).Select(i => (byte)(i * 7))]);
        WriteIdx(Path.Combine(folder, DatasetInfo.TrainLabels), 0x801, [40], labels);

        using (var data = OwnDatasetLoader.Load(new OwnDataset("idx", folder, OwnDataFormat.Idx)))
        {
            Assert.Equal((4, 1, 5, 6), (data.Classes, data.Channels, data.Height, data.Width));
            Assert.Equal(8, data.Test.Count);
        }

        var error = Assert.Throws<DatasetException>(() => OwnDatasetLoader.Load(new OwnDataset("idx", folder, OwnDataFormat.Idx) { Classes = 3 }));
        Assert.Equal($"{Path.Combine(folder, DatasetInfo.TrainLabels)}: label 3 of item 3 is not a class in [0, 3)", error.Message);
    }

    [Fact]
    public void Fractions_that_leave_a_part_empty_are_refused_naming_the_key()
    {
        var path = OwnDataSets.WriteCsv(_temp.File("few.csv"), samples: 3);
        var error = Assert.Throws<InputException>(() => OwnDatasetLoader.Load(new OwnDataset("few", path, OwnDataFormat.Csv) { TestFraction = 0.1 }));
        Assert.Contains("alrs.env.own-data.test-fraction = 0.1 of 3 samples holds out 0", error.Message);
    }

    /// <summary>A part's values as read from the file: the normalisation undone.</summary>
    static float[] Raw(ImageSet part, DatasetSplits data)
    {
        var values = part.Images.data<float>().ToArray();
        var channels = data.Channels;
        for (var i = 0; i < values.Length; i++) values[i] = values[i] * data.Normalisation!.Std[i % channels] + data.Normalisation.Mean[i % channels];
        return values;
    }

    sealed class ToleranceComparer : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= 1e-3f * Math.Max(1, Math.Abs(a));
        public int GetHashCode(float value) => 0;
    }

    static void WriteIdx(string path, int magic, int[] shape, byte[] data)
    {
        using var file = File.Create(path);
        Span<byte> word = stackalloc byte[4];
        foreach (var value in new[] { magic }.Concat(shape))
        {
            BinaryPrimitives.WriteInt32BigEndian(word, value);
            file.Write(word);
        }
        file.Write(data);
    }
}
