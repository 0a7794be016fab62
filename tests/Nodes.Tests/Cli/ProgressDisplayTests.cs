using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Tests.Cli;

public sealed class ProgressDisplayTests
{
    /// <summary>A clock the test moves by hand.</summary>
    sealed class ManualClock : TimeProvider
    {
        DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => now;
        public void Advance(TimeSpan by) => now += by;
    }

    [Fact]
    public void Terminal_redraws_one_line_in_place_and_clears_leftovers()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, isTerminal: true, terminalWidth: () => 80);

        display.Report("version 1: return -50.0");
        display.Report("v2");
        display.Complete();

        Assert.Equal("\rversion 1: return -50.0" + "\rv2" + new string(' ', 21) + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Terminal_line_is_cut_to_the_width_so_it_never_wraps()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, isTerminal: true, terminalWidth: () => 20);

        display.Report(new string('x', 50));

        var shown = output.ToString().TrimStart('\r');
        Assert.Equal(19, shown.Length);
        Assert.EndsWith("…", shown);
    }

    [Fact]
    public void Terminal_message_is_printed_above_the_status_line()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, isTerminal: true);

        display.Report("status");
        display.Message("checkpoint saved");

        Assert.Equal("\rstatus" + "\r      \r" + "checkpoint saved" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Redirected_output_prints_plain_lines_at_most_once_per_interval()
    {
        var output = new StringWriter();
        var clock = new ManualClock();
        var display = new ProgressDisplay(output, isTerminal: false, TimeSpan.FromSeconds(10), clock: clock);

        display.Report("a");
        clock.Advance(TimeSpan.FromSeconds(3));
        display.Report("b");
        clock.Advance(TimeSpan.FromSeconds(8));
        display.Report("c");
        clock.Advance(TimeSpan.FromSeconds(1));
        display.Report("d");

        Assert.Equal(["a", "c"], Lines(output));
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void Redirected_output_prints_the_last_throttled_status_on_complete()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, isTerminal: false, TimeSpan.FromSeconds(10), clock: new ManualClock());

        display.Report("first");
        display.Report("latest");
        display.Complete();

        Assert.Equal(["first", "latest"], Lines(output));
    }

    [Fact]
    public void Multi_line_status_is_flattened_to_one_line()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, isTerminal: false);

        display.Report("a\nb");

        Assert.Equal(["a b"], Lines(output));
    }

    static string[] Lines(StringWriter output) => output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
