using Alrs.Tests.Shared;
using Alrs.Learning.Data;

namespace Alrs.Learning.Tests.Data;

public class DatasetInfoTests
{
    [Theory]
    [InlineData("mnist", DatasetId.Mnist)]
    [InlineData("fashion-mnist", DatasetId.FashionMnist)]
    [InlineData("cifar10", DatasetId.Cifar10)]
    [InlineData("CIFAR10", DatasetId.Cifar10)]
    public void Dataset_names_parse_to_their_ids(string name, DatasetId id) =>
        Assert.Equal(id, DatasetInfo.Parse(name).Id);

    [Fact]
    public void Unknown_dataset_name_is_rejected_listing_the_known_ones()
    {
        var e = Assert.Throws<InputException>(() => DatasetInfo.Parse("cifar100"));

        Assert.Equal("unknown dataset 'cifar100' (known: mnist, fashion-mnist, cifar10)", e.Message);
    }

    [Fact]
    public void Default_data_directory_is_the_one_tests_read() =>
        Assert.Equal(TestData.DataDir, DataDirectory.Default);

    [Fact]
    public void Data_directory_holding_a_datasets_files_directly_is_used_as_is() =>
        Assert.Equal(TestData.Cifar10Subset, DataDirectory.Resolve(DatasetInfo.Cifar10, TestData.Cifar10Subset));

    [Fact]
    public void Missing_dataset_names_the_directory_and_the_fetch_command()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<InputException>(() => DataDirectory.Resolve(DatasetInfo.FashionMnist, temp.Path));

        Assert.Contains(Path.Combine(temp.Path, "fashion-mnist"), e.Message);
        Assert.Contains($"alrs data fetch fashion-mnist --data-dir {temp.Path}", e.Message);
    }
}
