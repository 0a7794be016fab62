using Alrs.Learning.Data;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Environments;

/// <summary>
/// Small learnable image sets for environment tests: each class has its own mean image,
/// plus noise. Deterministic for a seed.
/// </summary>
public static class SyntheticData
{
    public static DatasetSplits Create(int train = 512, int validation = 256, int test = 256, int channels = 1, int size = 28, int seed = 1, bool poisonTraining = false)
    {
        using var generator = new Generator((ulong)seed);
        using var means = randn([10, channels, size, size], generator: generator);
        ImageSet Set(int count)
        {
            var labels = randint(10, [count], generator: generator, dtype: ScalarType.Int64);
            using var noise = randn([count, channels, size, size], generator: generator);
            var images = means.index_select(0, labels) * 0.5f + noise;
            return new ImageSet(images, labels);
        }
        var trainSet = Set(train);
        if (poisonTraining) trainSet.Images.fill_(float.NaN);
        return new DatasetSplits("synthetic", trainSet, Set(validation), Set(test));
    }
}
