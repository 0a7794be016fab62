using System.Diagnostics;
using Alrs.Learning.Data;
using Alrs.DataFetch;
using Alrs.Tests.Shared;

namespace Alrs.DataFetch.Tests;

/// <summary>Installing from local copies of the real files: no network needed.</summary>
public class DatasetFetcherTests
{
    static string InstalledMnist => Path.Combine(TestDatasets.DataDirWith(DatasetId.Mnist), "mnist");

    static Task<DatasetFetcher.Outcome> Fetch(DatasetInfo dataset, string dataDir, IDatasetSource source, StringWriter log) =>
        DatasetFetcher.FetchAsync(dataset, dataDir, source, log, CancellationToken.None);

    [Fact]
    public async Task Fetch_installs_verified_files_and_a_second_fetch_leaves_them_alone()
    {
        using var temp = new TempDirectory();
        var first = new StringWriter();
        Assert.Equal(DatasetFetcher.Outcome.Installed, await Fetch(DatasetInfo.Mnist, temp.Path, new LocalCopySource(InstalledMnist), first));
        var labels = Path.Combine(temp.Path, "mnist", DatasetInfo.TrainLabels);
        var written = File.GetLastWriteTimeUtc(labels);

        var second = new StringWriter();
        Assert.Equal(DatasetFetcher.Outcome.AlreadyPresent, await Fetch(DatasetInfo.Mnist, temp.Path, new LocalCopySource(InstalledMnist), second));

        Assert.Contains("ok  train-images-idx3-ubyte: sha256 ba891046", first.ToString());
        Assert.Contains("already present", second.ToString());
        Assert.DoesNotContain("copying", second.ToString());
        Assert.Equal(written, File.GetLastWriteTimeUtc(labels));
        Assert.Equal(["mnist"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Installed_file_that_fails_verification_is_fetched_again()
    {
        using var temp = new TempDirectory();
        await Fetch(DatasetInfo.Mnist, temp.Path, new LocalCopySource(InstalledMnist), new StringWriter());
        var labels = Path.Combine(temp.Path, "mnist", DatasetInfo.TestLabels);
        var bytes = File.ReadAllBytes(labels);
        bytes[100] ^= 1;
        File.WriteAllBytes(labels, bytes);

        var log = new StringWriter();
        var outcome = await Fetch(DatasetInfo.Mnist, temp.Path, new LocalCopySource(InstalledMnist), log);

        Assert.Equal(DatasetFetcher.Outcome.Installed, outcome);
        Assert.Contains("t10k-labels-idx1-ubyte: sha256", log.ToString());
        Assert.Contains("differs from the pinned", log.ToString());
        Assert.True(DatasetVerifier.Verify(DatasetInfo.Mnist, Path.Combine(temp.Path, "mnist")).Ok);
    }

    [Fact]
    public async Task Copy_failing_verification_installs_nothing_and_leaves_no_staging_behind()
    {
        using var source = new TempDirectory();
        using var dataDir = new TempDirectory();
        foreach (var file in DatasetInfo.IdxFiles) File.Copy(Path.Combine(InstalledMnist, file), source.File(file));
        var corrupt = File.ReadAllBytes(source.File(DatasetInfo.TestImages));
        corrupt[5000] ^= 0xFF;
        File.WriteAllBytes(source.File(DatasetInfo.TestImages), corrupt);

        var e = await Assert.ThrowsAsync<FetchException>(() => Fetch(DatasetInfo.Mnist, dataDir.Path, new LocalCopySource(source.Path), new StringWriter()));

        Assert.Contains("t10k-images-idx3-ubyte: sha256", e.Message);
        Assert.Contains("nothing was installed", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dataDir.Path));
    }

    [Fact]
    public async Task Staging_directory_of_a_killed_fetch_is_removed()
    {
        using var temp = new TempDirectory();
        var abandoned = Directory.CreateDirectory(temp.File(".fetch-mnist-2147483646")).FullName;
        File.WriteAllText(Path.Combine(abandoned, "half"), "x");

        await Fetch(DatasetInfo.Mnist, temp.Path, new LocalCopySource(InstalledMnist), new StringWriter());

        Assert.False(Directory.Exists(abandoned));
    }

    [Fact]
    public async Task Cifar10_copy_in_the_official_layout_installs_with_a_recorded_checksum_that_catches_later_damage()
    {
        using var temp = new TempDirectory();
        await Fetch(DatasetInfo.Cifar10, temp.Path, new LocalCopySource(TestData.Cifar10Subset), new StringWriter());
        var installed = Path.Combine(temp.Path, "cifar10");
        Assert.True(DatasetVerifier.Verify(DatasetInfo.Cifar10, installed).Ok);
        Assert.True(File.Exists(Path.Combine(installed, DatasetVerifier.LocalManifest)));

        var batch = Path.Combine(installed, "data_batch_3.bin");
        var bytes = File.ReadAllBytes(batch);
        bytes[3073 * 7 + 500] ^= 1;
        File.WriteAllBytes(batch, bytes);

        var problems = DatasetVerifier.Verify(DatasetInfo.Cifar10, installed).Problems.ToList();
        Assert.Equal("data_batch_3.bin", Assert.Single(problems).File);
        Assert.Contains("recorded at install", problems[0].Detail);
    }

    [Fact]
    public async Task Cifar10_tarball_that_is_not_the_official_one_is_rejected_by_its_md5()
    {
        using var temp = new TempDirectory();
        var tarball = temp.File(Cifar10Tarball.FileName);
        File.WriteAllBytes(tarball, File.ReadAllBytes(Path.Combine(TestData.Cifar10Subset, "test_batch.bin")));

        var e = await Assert.ThrowsAsync<FetchException>(() => Fetch(DatasetInfo.Cifar10, temp.File("data"), new LocalCopySource(tarball), new StringWriter()));

        Assert.Contains($"differs from the published {PinnedChecksums.Cifar10TarballMd5}", e.Message);
        Assert.False(Directory.Exists(temp.File("data/cifar10")));
    }

    [Fact]
    public async Task Unreachable_cifar10_host_fails_fast_suggesting_a_local_copy()
    {
        using var temp = new TempDirectory();
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<FetchException>(() =>
            Fetch(DatasetInfo.Cifar10, temp.Path, new Cifar10Download("https://127.0.0.1:1/cifar-10-binary.tar.gz"), new StringWriter()));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.StartsWith("cannot download CIFAR-10 from https://127.0.0.1:1/", e.Message);
        Assert.Contains("alrs data fetch cifar10 --from PATH", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Pinned_checksums_match_the_installed_datasets()
    {
        foreach (var dataset in new[] { DatasetInfo.Mnist, DatasetInfo.FashionMnist })
        {
            var result = DatasetVerifier.Verify(dataset, DataDirectory.Resolve(dataset, TestDatasets.DataDirWith(dataset.Id)));
            Assert.True(result.Ok, string.Join("; ", result.Problems.Select(p => $"{p.File}: {p.Detail}")));
        }
    }
}
