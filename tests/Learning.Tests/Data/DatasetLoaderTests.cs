using Alrs.Learning.Data;
using Alrs.Tests.Shared;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Data;

public class DatasetLoaderTests
{
    [Theory]
    [InlineData(DatasetId.Mnist, 0.1307f, 0.3081f)]
    [InlineData(DatasetId.FashionMnist, 0.2860f, 0.3530f)]
    public void Mnist_like_datasets_load_as_50000_10000_10000_normalised_images(DatasetId id, float mean, float std)
    {
        using var data = DatasetLoader.Load(id, TestDatasets.DataDirWith(id));

        Assert.Equal((50000, 10000, 10000), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal((1, 28, 28), (data.Channels, data.Height, data.Width));
        Assert.Equal(ScalarType.Float32, data.Train.Images.dtype);
        Assert.Equal(ScalarType.Int64, data.Train.Labels.dtype);
        foreach (var set in new[] { data.Train, data.Validation, data.Test })
        {
            Assert.Equal(0, set.Labels.min().item<long>());
            Assert.Equal(9, set.Labels.max().item<long>());
        }
        // Black pixels map to -mean/std, white ones to (1-mean)/std; the train set is ~N(0, 1).
        Assert.Equal(-mean / std, data.Test.Images.min().item<float>(), 1e-5f);
        Assert.Equal((1 - mean) / std, data.Test.Images.max().item<float>(), 1e-5f);
        Assert.Equal(0f, data.Train.Images.mean().item<float>(), 0.02f);
        Assert.Equal(1f, data.Train.Images.std().item<float>(), 0.02f);
    }

    [Fact]
    public void Cifar10_subset_loads_with_a_validation_split_and_the_official_test_order()
    {
        using var data = DatasetLoader.Load(DatasetId.Cifar10, TestData.Cifar10Subset, validationSize: 1000, seed: 0);

        Assert.Equal((4085, 1000, 1017), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal((3, 32, 32), (data.Channels, data.Height, data.Width));
        Assert.Equal(new long[] { 3, 8, 8, 0, 6, 6, 1, 6, 3, 1 }, data.Test.Labels[..10].data<long>().ToArray());
        // Per-channel normalisation with CIFAR-10's constants leaves each channel near N(0, 1).
        var channelMeans = data.Train.Images.mean([0, 2, 3]).data<float>().ToArray();
        Assert.All(channelMeans, m => Assert.InRange(m, -0.1f, 0.1f));
    }

    [Fact]
    public void Training_samples_keep_the_official_order_minus_the_validation_samples()
    {
        var official = Cifar10Reader.ReadBatch(Path.Combine(TestData.Cifar10Subset, "data_batch_1.bin"));
        Assert.Equal(new byte[] { 6, 9, 9, 4, 1, 1, 2, 7, 8, 3 }, official.Labels[..10]);
        var split = ValidationSplit.Choose(5 * 1017, 50, seed: 5);

        using var data = DatasetLoader.Load(DatasetId.Cifar10, TestData.Cifar10Subset, validationSize: 50, seed: 5);

        var expected = split.Train.TakeWhile(i => i < 1017).Take(20).Select(i => (long)official.Labels[i]);
        Assert.Equal(expected, data.Train.Labels[..20].data<long>().ToArray());
        // The first image is the first official record not held out, pixel for pixel.
        var first = split.Train[0];
        var pixel = (official.Pixels[first * 3072 + 1024 + 33] / 255f - 0.4822f) / 0.2435f;
        Assert.Equal(pixel, data.Train.Images[0, 1, 1, 1].item<float>(), 1e-5f);
    }

    [Fact]
    public void Same_seed_loads_the_same_validation_set_and_another_seed_a_different_one()
    {
        using var a = DatasetLoader.Load(DatasetId.Cifar10, TestData.Cifar10Subset, validationSize: 500, seed: 1);
        using var b = DatasetLoader.Load(DatasetId.Cifar10, TestData.Cifar10Subset, validationSize: 500, seed: 1);
        using var c = DatasetLoader.Load(DatasetId.Cifar10, TestData.Cifar10Subset, validationSize: 500, seed: 2);

        Assert.True(a.Validation.Images.eq(b.Validation.Images).all().item<bool>());
        Assert.False(a.Validation.Images.eq(c.Validation.Images).all().item<bool>());
    }

    [Fact]
    public void Validation_size_as_large_as_the_training_set_is_rejected()
    {
        var e = Assert.Throws<InputException>(() => DatasetLoader.Load(DatasetId.Cifar10, TestData.Cifar10Subset, validationSize: 5085));

        Assert.Contains("validation size 5085 must be smaller than the 5085", e.Message);
    }

    [Fact]
    public void Validation_size_0_keeps_the_whole_official_training_set()
    {
        using var data = DatasetLoader.Load(DatasetId.Cifar10, TestData.Cifar10Subset, validationSize: 0);

        Assert.Equal((5085, 0), (data.Train.Count, data.Validation.Count));
        Assert.Equal(new long[] { 3, 32, 32 }, data.Validation.Images.shape[1..]);
    }
}
