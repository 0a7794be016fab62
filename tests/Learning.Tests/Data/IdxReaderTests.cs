using System.IO.Compression;
using Alrs.Learning.Data;
using Alrs.Tests.Shared;

namespace Alrs.Learning.Tests.Data;

public class IdxReaderTests
{
    static string Mnist(string file) => Path.Combine(TestDatasets.DataDirWith(DatasetId.Mnist), "mnist", file);
    static string Fashion(string file) => Path.Combine(TestDatasets.DataDirWith(DatasetId.FashionMnist), "fashion-mnist", file + ".gz");

    [Fact]
    public void Raw_mnist_test_set_reads_as_10000_images_of_28_by_28()
    {
        var set = IdxReader.ReadPair(Mnist(DatasetInfo.TestImages), Mnist(DatasetInfo.TestLabels));

        Assert.Equal((10000, 1, 28, 28), (set.Count, set.Channels, set.Height, set.Width));
        Assert.Equal(10000 * 784, set.Pixels.Length);
        // The first MNIST test digits are 7 2 1 0 4 1 4 9 5 9.
        Assert.Equal(new byte[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }, set.Labels[..10]);
    }

    [Fact]
    public void Gzipped_fashion_mnist_test_set_reads_like_a_raw_file()
    {
        var set = IdxReader.ReadPair(Fashion(DatasetInfo.TestImages), Fashion(DatasetInfo.TestLabels));

        Assert.Equal((10000, 28, 28), (set.Count, set.Height, set.Width));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), set.Labels.Distinct().Order());
    }

    [Fact]
    public void Truncated_idx_file_is_rejected_naming_the_file_and_the_sizes()
    {
        using var temp = new TempDirectory();
        var truncated = temp.File(DatasetInfo.TestImages);
        using (var source = File.OpenRead(Mnist(DatasetInfo.TestImages)))
        using (var target = File.Create(truncated))
        {
            var head = new byte[16 + 1234];
            source.ReadExactly(head);
            target.Write(head);
        }

        var e = Assert.Throws<DatasetException>(() => IdxReader.ReadPair(truncated, Mnist(DatasetInfo.TestLabels)));

        Assert.StartsWith(truncated + ": truncated", e.Message);
        Assert.Contains("10000×28×28 = 7840000 pixel bytes, file has 1234", e.Message);
    }

    [Fact]
    public void Idx_file_with_the_wrong_magic_number_is_rejected_naming_the_file()
    {
        // A labels file where an images file belongs: magic 0x00000801, not 0x00000803.
        var labels = Mnist(DatasetInfo.TestLabels);

        var e = Assert.Throws<DatasetException>(() => IdxReader.ReadPair(labels, labels));

        Assert.StartsWith(labels + ": wrong magic number 0x00000801, expected 0x00000803", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_idx_file_is_rejected_naming_the_file()
    {
        using var temp = new TempDirectory();
        var corrupt = temp.File(DatasetInfo.TestLabels + ".gz");
        var bytes = File.ReadAllBytes(Fashion(DatasetInfo.TestLabels));
        for (var i = 20; i < 200; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(corrupt, bytes);

        var e = Assert.Throws<DatasetException>(() => IdxReader.ReadLabels(corrupt));

        Assert.StartsWith(corrupt + ":", e.Message);
    }

    [Fact]
    public void Idx_file_with_trailing_bytes_is_rejected()
    {
        using var temp = new TempDirectory();
        var padded = temp.File(DatasetInfo.TestLabels);
        File.WriteAllBytes(padded, [.. File.ReadAllBytes(Mnist(DatasetInfo.TestLabels)), 1, 2, 3]);

        var e = Assert.Throws<DatasetException>(() => IdxReader.ReadLabels(padded));

        Assert.Equal($"{padded}: 3 unexpected bytes after the 10000 label bytes of 10000", e.Message);
    }

    [Fact]
    public void File_named_gz_that_is_not_gzip_is_rejected()
    {
        using var temp = new TempDirectory();
        var misnamed = temp.File(DatasetInfo.TestLabels + ".gz");
        File.Copy(Mnist(DatasetInfo.TestLabels), misnamed);

        var e = Assert.Throws<DatasetException>(() => IdxReader.ReadLabels(misnamed));

        Assert.Equal($"{misnamed}: named .gz but is not gzip-compressed", e.Message);
    }

    [Fact]
    public void Missing_idx_file_is_reported_as_missing()
    {
        using var temp = new TempDirectory();
        var missing = temp.File(DatasetInfo.TestImages);

        var e = Assert.Throws<DatasetException>(() => IdxReader.ReadPair(missing, missing));

        Assert.Equal($"{missing}: missing", e.Message);
        Assert.IsAssignableFrom<InputException>(e);
    }

    [Fact]
    public void Images_and_labels_of_different_counts_are_rejected()
    {
        using var temp = new TempDirectory();
        var labels = temp.File(DatasetInfo.TrainLabels + ".gz");
        // A valid labels file for 5 items, compressed.
        using (var gzip = new GZipStream(File.Create(labels), CompressionLevel.Fastest))
            gzip.Write([0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5]);

        var e = Assert.Throws<DatasetException>(() => IdxReader.ReadPair(Mnist(DatasetInfo.TestImages), labels));

        Assert.Contains("holds 5 labels but", e.Message);
        Assert.StartsWith(labels, e.Message);
    }
}
