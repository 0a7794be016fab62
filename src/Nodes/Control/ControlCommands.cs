using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Control;

/// <summary>Every command the endpoint serves, and matching a command line or a request to one.</summary>
public static class ControlCommands
{
    public static IReadOnlyList<ControlCommand> All { get; } =
    [
        new ClusterShowCommand(),
        new ClusterLeaveCommand(),
        new ClusterDownCommand(),
        new ClusterTailCommand(),
        new ActorHierarchyCommand(),
        new LearnerStatusCommand(),
        new EnvsStatusCommand(),
        new EnvsScaleCommand(),
    ];

    /// <summary>One line per command: synopsis and summary.</summary>
    public static IEnumerable<string> Usage()
    {
        var width = All.Max(c => c.Synopsis.Length);
        return All.Select(c => $"  {c.Synopsis.PadRight(width)}   {c.Summary}");
    }

    /// <summary>The command named by a request's words; throws <see cref="UsageException"/> when none is.</summary>
    public static ControlCommand Find(IReadOnlyList<string> words) =>
        All.FirstOrDefault(c => c.Words.SequenceEqual(words))
        ?? throw new UsageException($"unknown command '{string.Join(' ', words)}' (commands: {string.Join(", ", All.Select(c => c.Name))})");

    /// <summary>
    /// Parses the words after <c>alrs ctl HOST:PORT</c> into a checked request; throws
    /// <see cref="UsageException"/> for an unknown command or bad arguments.
    /// </summary>
    public static (ControlCommand Command, ControlRequest Request) ParseCommandLine(IReadOnlyList<string> args)
    {
        var command = All.FirstOrDefault(c => args.Count >= c.Words.Count && c.Words.SequenceEqual(args.Take(c.Words.Count)));
        if (command is null)
        {
            var typed = string.Join(' ', args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Take(2));
            throw new UsageException(typed.Length == 0
                ? $"no command given (commands: {string.Join(", ", All.Select(c => c.Name))})"
                : $"unknown command '{typed}' (commands: {string.Join(", ", All.Select(c => c.Name))})");
        }
        var parsed = CommandArguments.Parse(args.Skip(command.Words.Count).ToArray(), command.ValueOptions, command.Switches);
        var request = new ControlRequest(command.Words, parsed.Positional, parsed.Options);
        command.Check(request);
        return (command, request);
    }
}
