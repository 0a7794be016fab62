using Alrs.Reporting;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;

namespace Alrs.Nodes.Tests.Commands;

public sealed class ReportCommandTests : IDisposable
{
    readonly string run = Path.Combine(Path.GetTempPath(), "alrs-report-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
    }

    [Fact]
    public async Task Run_directory_with_returns_gives_report_and_prints_its_path()
    {
        for (var v = 1; v <= 5; v++) PolicyReturns.Append(Path.Combine(run, "training", "returns.csv"), new VersionReturn(v, 4, -50 + v));
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await new ReportCommand(output, error).RunAsync([run], CancellationToken.None);

        Assert.Equal(CommandRouter.Ok, code);
        Assert.Equal(Path.Combine(run, "report.html"), output.ToString().Trim());
        Assert.True(File.Exists(Path.Combine(run, "report", "returns.png")));
        Assert.Contains("not available: evaluation summary", error.ToString());
    }

    [Fact]
    public async Task Directory_that_is_not_a_run_exits_2_naming_it()
    {
        Directory.CreateDirectory(run);
        var error = new StringWriter();

        var code = await CommandRouter.RunAsync(["report", run], error);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains(run, error.ToString());
        Assert.False(File.Exists(Path.Combine(run, "report.html")));
    }

    [Fact]
    public async Task Missing_directory_exits_2()
    {
        var error = new StringWriter();

        Assert.Equal(CommandRouter.BadInput, await CommandRouter.RunAsync(["report", run], error));
        Assert.Contains("does not exist", error.ToString());
    }

    [Fact]
    public async Task No_run_directory_is_a_usage_error()
    {
        var error = new StringWriter();

        Assert.Equal(CommandRouter.BadInput, await CommandRouter.RunAsync(["report"], error));
        Assert.Contains("usage: alrs report RUN-DIR", error.ToString());
    }
}
