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

    [Fact]
    public async Task Debian_package_apt_does_not_know_suggests_apt_get_update()
    {
        using var temp = new TempDirectory();
        var source = new DebianPackageSource("alrs-no-such-package", "usr/share/datasets/none");

        var e = await Assert.ThrowsAsync<FetchException>(() => source.AcquireAsync(DatasetInfo.FashionMnist, temp.Path, new StringWriter(), CancellationToken.None));

        Assert.StartsWith("apt-get download alrs-no-such-package failed", e.Message);
        Assert.Contains("run `apt-get update`", e.Message);
    }
}
