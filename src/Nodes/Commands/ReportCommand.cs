using Alrs.Reporting;
using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs report RUN-DIR</c>: writes RUN-DIR/report.html and its plots (RUN-DIR/report/*.png)
/// from the run's evaluation traces, summary and returns (docs/run-directory.md), then prints
/// the page's path on stdout. Parts that are missing are listed on stderr and marked "not
/// available" on the page; a directory that is not a run exits 2.
/// </summary>
public sealed class ReportCommand(TextWriter? output = null, TextWriter? error = null) : ICommand
{
    public string Name => "report";

    public string Synopsis => "RUN-DIR   write RUN-DIR/report.html: schedules, losses, returns, test table";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, []);
        if (arguments.Positional.Count != 1) throw new UsageException("expected exactly one run directory");

        var report = RunReport.Write(arguments.Positional[0]);

        foreach (var missing in report.NotAvailable) (error ?? Console.Error).WriteLine($"report: not available: {missing}");
        (output ?? Console.Out).WriteLine(report.HtmlPath);
        return Task.FromResult(CommandRouter.Ok);
    }
}
