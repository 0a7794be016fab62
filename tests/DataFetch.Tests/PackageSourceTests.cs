using Alrs.Tests.Shared;
using Alrs.Learning.Data;
using Alrs.DataFetch;

namespace Alrs.DataFetch.Tests;

public class PackageSourceTests
{
    [Fact]
    public async Task Missing_tool_is_reported_with_how_to_install_it()
    {
        using var temp = new TempDirectory();

        var e = await Assert.ThrowsAsync<FetchException>(() =>
            ExternalCommand.RunAsync("alrs-no-such-tool", ["--version"], temp.Path, "install it with care", CancellationToken.None));

        Assert.Equal("alrs-no-such-tool is not installed or not on PATH: install it with care", e.Message);
    }

    [Theory]
    [InlineData("E: Unable to locate package dataset-fashion-mnist", true)]
    [InlineData("E: Package 'dataset-fashion-mnist' has no installation candidate", true)]
    [InlineData("E: Failed to fetch http://deb.debian.org/debian/pool/main/d/x.deb  404  Not Found", false)]
    [InlineData("E: Could not get lock /var/lib/apt/lists/lock", false)]
    public void Apt_saying_it_knows_no_such_package_is_told_apart_from_other_failures(string said, bool unknown)
    {
        Assert.Equal(unknown, AptLists.SaysPackageUnknown(said));
    }

    [Fact]
    public void Private_lists_point_apt_away_from_the_system_lists_and_caches()
    {
        Assert.Empty(AptLists.System.Options);
        Assert.Equal(["-o", "Dir::State::Lists=/tmp/x", "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache="], new AptLists("/tmp/x").Options);
    }

    [Fact]
    public async Task On_a_machine_whose_apt_lists_were_never_fetched_the_package_comes_through_private_lists()
    {
        // An empty lists directory is what a fresh Debian has before its first `apt-get update`;
        // the real system lists stay untouched. `hello` is a 53 kB package of every Debian release.
        using var temp = new TempDirectory();
        var fresh = Directory.CreateDirectory(Path.Combine(temp.Path, "fresh-lists")).FullName;
        var scratch = Directory.CreateDirectory(Path.Combine(temp.Path, "scratch")).FullName;
        var log = new StringWriter();
        var source = new DebianPackageSource("hello", "usr/bin", new AptLists(fresh));

        var files = await source.AcquireAsync(DatasetInfo.FashionMnist, scratch, log, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(files, "hello")), log.ToString());
        Assert.Contains("apt does not know hello (its package lists were never fetched): fetching them once into", log.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(fresh));
    }

    [Fact]
    public async Task Debian_package_that_not_even_fresh_lists_know_is_reported_in_one_line()
    {
        using var temp = new TempDirectory();
        var source = new DebianPackageSource("alrs-no-such-package", "usr/share/datasets/none");

        var e = await Assert.ThrowsAsync<FetchException>(() => source.AcquireAsync(DatasetInfo.FashionMnist, temp.Path, new StringWriter(), CancellationToken.None));

        Assert.StartsWith("apt-get download alrs-no-such-package failed", e.Message);
        Assert.Contains("Debian's package lists do not have it either", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}
