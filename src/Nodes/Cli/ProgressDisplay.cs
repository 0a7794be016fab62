namespace Alrs.Nodes.Cli;

/// <summary>
/// Live progress of a long command (<c>alrs train</c>). On a terminal one status line is
/// redrawn in place (carriage return, cut to the terminal's width so it never wraps);
/// when output is redirected to a file or pipe, status lines are printed as plain lines at
/// most once per interval, so logs stay short. <see cref="Message"/> prints a permanent line
/// in both modes. Thread-safe.
/// </summary>
public sealed class ProgressDisplay
{
    readonly TextWriter writer;
    readonly Func<int> width;
    readonly TimeProvider clock;
    readonly Lock gate = new();
    int shownLength;
    DateTimeOffset? lastPrinted;
    string? pending;

    /// <param name="writer">Where status goes (stdout in production).</param>
    /// <param name="isTerminal">Redraw in place (true) or print throttled plain lines (false).</param>
    /// <param name="plainInterval">Least time between two plain lines; default 10 s.</param>
    /// <param name="terminalWidth">Columns of the terminal, asked at every redraw (it may be resized).</param>
    public ProgressDisplay(TextWriter writer, bool isTerminal, TimeSpan? plainInterval = null, Func<int>? terminalWidth = null, TimeProvider? clock = null)
    {
        this.writer = writer;
        IsTerminal = isTerminal;
        PlainInterval = plainInterval ?? TimeSpan.FromSeconds(10);
        width = terminalWidth ?? (() => 80);
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>Progress on the process's stdout, in place when stdout is a terminal.</summary>
    public static ProgressDisplay ForConsole(TimeSpan? plainInterval = null) =>
        new(Console.Out, !Console.IsOutputRedirected, plainInterval, ConsoleWidth);

    public bool IsTerminal { get; }

    public TimeSpan PlainInterval { get; }

    /// <summary>The current status; replaces the previous one.</summary>
    public void Report(string line)
    {
        line = OneLine(line);
        lock (gate)
        {
            if (IsTerminal)
            {
                Redraw(line);
                return;
            }
            var now = clock.GetUtcNow();
            if (lastPrinted is { } last && now - last < PlainInterval)
            {
                pending = line;
                return;
            }
            writer.WriteLine(line);
            writer.Flush();
            lastPrinted = now;
            pending = null;
        }
    }

    /// <summary>A line to keep (an event, a warning): printed above the status line on a terminal.</summary>
    public void Message(string line)
    {
        lock (gate)
        {
            if (IsTerminal && shownLength > 0)
            {
                writer.Write('\r' + new string(' ', shownLength) + '\r');
                shownLength = 0;
            }
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    /// <summary>Ends the display: the last status stays visible (a throttled one is printed now), followed by a newline.</summary>
    public void Complete()
    {
        lock (gate)
        {
            if (IsTerminal && shownLength > 0) writer.WriteLine();
            else if (!IsTerminal && pending is not null) writer.WriteLine(pending);
            writer.Flush();
            shownLength = 0;
            pending = null;
        }
    }

    void Redraw(string line)
    {
        // One column short of the width: writing into the last column wraps on some terminals.
        var columns = Math.Max(10, width() - 1);
        if (line.Length > columns) line = line[..(columns - 1)] + "…";
        var clear = Math.Max(0, shownLength - line.Length);
        writer.Write('\r' + line + new string(' ', clear));
        writer.Flush();
        shownLength = line.Length;
    }

    static string OneLine(string line) => line.ReplaceLineEndings(" ");

    static int ConsoleWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
