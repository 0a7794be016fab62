using Alrs.Learning;
using Alrs.Reporting;

namespace Alrs.Reporting.Tests;

public sealed class AtomicFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("alrs-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Returns => Path.Combine(_dir, "training", "returns.csv");

    [Fact]
    public void A_write_replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_dir, "sub", "config.hocon");
        AtomicFile.WriteAllText(path, new string('a', 100_000));
        AtomicFile.WriteAllText(path, "short\n");

        Assert.Equal("short\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_write_that_fails_halfway_leaves_the_old_file_and_no_temporary_file()
    {
        var path = Path.Combine(_dir, "report.html");
        AtomicFile.WriteAllText(path, "old report\n");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new rep"u8);
            throw new IOException("disk full");
        }));

        Assert.Equal("old report\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Returns_are_appended_by_rewriting_the_file()
    {
        PolicyReturns.Append(Returns, new VersionReturn(1, 4, -3.5));
        PolicyReturns.Append(Returns, new VersionReturn(2, 3, -2.25));

        Assert.Equal("version,episodes,mean_return\n1,4,-3.5\n2,3,-2.25\n", File.ReadAllText(Returns));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(Returns)!));
    }

    [Theory]
    [InlineData("3,")]        // cut inside the row: too few columns
    [InlineData("3,4,-1.2e")] // cut inside a number
    public void A_torn_last_row_of_returns_is_left_out_and_the_next_append_drops_it(string tornRow)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Returns)!);
        File.WriteAllText(Returns, $"version,episodes,mean_return\n1,4,-3.5\n2,3,-2.25\n{tornRow}");

        Assert.Equal([new VersionReturn(1, 4, -3.5), new VersionReturn(2, 3, -2.25)], PolicyReturns.Read(Returns));

        PolicyReturns.Append(Returns, new VersionReturn(3, 2, -1.0));
        Assert.Equal("version,episodes,mean_return\n1,4,-3.5\n2,3,-2.25\n3,2,-1\n", File.ReadAllText(Returns));
    }

    [Fact]
    public void A_malformed_row_that_is_not_the_torn_tail_is_still_refused_naming_its_line()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Returns)!);
        File.WriteAllText(Returns, "version,episodes,mean_return\n1,4,-3.5\n2,x,-2.25\n3,2,-1\n");

        var error = Assert.Throws<InputException>(() => PolicyReturns.Read(Returns));

        Assert.Contains("line 3", error.Message);
    }
}
