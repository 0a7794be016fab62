using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Control;

/// <summary>
/// One command of the endpoint (<c>cluster show</c>, <c>envs scale N</c>, ...): its syntax,
/// checked on both sides (by <c>alrs ctl</c> before it connects, and by the node for any
/// client), and what the node does for it.
/// </summary>
public abstract class ControlCommand
{
    /// <summary>The words that name the command, e.g. <c>["cluster", "show"]</c>.</summary>
    public abstract IReadOnlyList<string> Words { get; }

    /// <summary>Names of the positional arguments, all required (e.g. <c>ADDRESS</c>).</summary>
    public virtual IReadOnlyList<string> ArgumentNames => [];

    /// <summary>Options that take a value (<c>--depth 2</c>), without dashes.</summary>
    public virtual IReadOnlyList<string> ValueOptions => [];

    /// <summary>Options without a value (<c>--system</c>), without dashes.</summary>
    public virtual IReadOnlyList<string> Switches => [];

    /// <summary>What the command does, in a few words.</summary>
    public abstract string Summary { get; }

    public string Name => string.Join(' ', Words);

    /// <summary>The command with its arguments and options, e.g. <c>actor hierarchy [--depth N] [--system]</c>.</summary>
    public string Synopsis =>
        string.Join(' ', Words.Concat(ArgumentNames)
            .Concat(ValueOptions.Select(o => $"[--{o} {OptionValueName(o)}]"))
            .Concat(Switches.Select(s => $"[--{s}]")));

    /// <summary>Whether the command streams until the client disconnects (no reply timeout).</summary>
    public virtual bool Streams => false;

    /// <summary>The placeholder shown for an option's value in the synopsis.</summary>
    protected virtual string OptionValueName(string option) => "VALUE";

    /// <summary>
    /// Checks a request's arguments and options; throws <see cref="UsageException"/> naming
    /// what is wrong. Subclasses check option values in <see cref="CheckOptions"/>.
    /// </summary>
    public void Check(ControlRequest request)
    {
        if (request.Arguments.Count != ArgumentNames.Count)
            throw new UsageException(ArgumentNames.Count == 0
                ? $"'{Name}' takes no arguments, got '{string.Join(' ', request.Arguments)}'"
                : $"'{Name}' needs {string.Join(' ', ArgumentNames)}: {Synopsis}");
        foreach (var option in request.Options.Keys)
            if (!ValueOptions.Contains(option) && !Switches.Contains(option))
                throw new UsageException($"'{Name}' has no option --{option}: {Synopsis}");
        CheckOptions(request);
    }

    protected virtual void CheckOptions(ControlRequest request) { }

    /// <summary>Runs the command on the node, writing its output through <paramref name="context"/>.</summary>
    public abstract Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation);

    /// <summary>An integer option, or <paramref name="fallback"/> when absent; throws <see cref="UsageException"/> when out of range.</summary>
    protected static int IntOption(ControlRequest request, string name, int fallback, int min, int max) =>
        request.Options.TryGetValue(name, out var text) ? ParseInt($"--{name}", text, min, max) : fallback;

    protected static int ParseInt(string what, string text, int min, int max)
    {
        if (!int.TryParse(text, out var value)) throw new UsageException($"{what} must be an integer, got '{text}'");
        if (value < min || value > max) throw new UsageException($"{what} must be in [{min}, {max}], got {value}");
        return value;
    }
}
