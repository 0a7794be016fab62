using Alrs.Tests.Shared;
using Alrs.Learning.Data;

namespace Alrs.Learning.Tests.Data;

public class Cifar10ReaderTests
{
    static string Subset(string file) => Path.Combine(TestData.Cifar10Subset, file);

    [Fact]
    public void Subset_batches_read_as_1017_records_with_the_official_first_labels()
    {
        var train = Cifar10Reader.ReadBatch(Subset("data_batch_1.bin"));
        var test = Cifar10Reader.ReadBatch(Subset(DatasetInfo.Cifar10TestBatch));

        Assert.Equal((1017, 3, 32, 32), (train.Count, train.Channels, train.Height, train.Width));
        Assert.Equal(new byte[] { 6, 9, 9, 4, 1, 1, 2, 7, 8, 3 }, train.Labels[..10]);
        Assert.Equal(new byte[] { 3, 8, 8, 0, 6, 6, 1, 6, 3, 1 }, test.Labels[..10]);
    }

    [Fact]
    public void Pixels_keep_the_record_layout_of_red_green_blue_planes()
    {
        var path = Subset(DatasetInfo.Cifar10TestBatch);
        var file = File.ReadAllBytes(path);
        var set = Cifar10Reader.ReadBatch(path);

        // Image 2, green plane, row 5, column 7: byte 1 + 1024 + 5*32 + 7 of record 2.
        Assert.Equal(file[2 * 3073 + 1 + 1024 + 5 * 32 + 7], set.Pixels[2 * 3072 + 1024 + 5 * 32 + 7]);
        Assert.Equal(file.AsSpan(3073 * 1016 + 1, 3072).ToArray(), set.Pixels[(3072 * 1016)..]);
    }

    [Fact]
    public void Cifar_file_whose_size_is_not_a_multiple_of_3073_is_rejected_naming_the_file()
    {
        using var temp = new TempDirectory();
        var truncated = temp.File("data_batch_1.bin");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Subset("data_batch_1.bin"))[..(3073 * 3 + 100)]);

        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.ReadBatch(truncated));

        Assert.StartsWith($"{truncated}: size 9319 bytes is not a multiple of the 3073-byte CIFAR-10 record", e.Message);
    }

    [Fact]
    public void Cifar_record_with_a_label_of_10_or_more_is_rejected()
    {
        using var temp = new TempDirectory();
        var bad = temp.File("test_batch.bin");
        var bytes = File.ReadAllBytes(Subset(DatasetInfo.Cifar10TestBatch))[..(3073 * 4)];
        bytes[3073 * 2] = 10;
        File.WriteAllBytes(bad, bytes);

        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.ReadBatch(bad));

        Assert.StartsWith($"{bad}: record 2 has label 10", e.Message);
    }
}
