using Akka.Actor;

namespace Alrs.Nodes.Control;

/// <summary>
/// <c>actor hierarchy [--depth N] [--system]</c>: this node's actor tree under <c>/user</c>
/// (and <c>/system</c> with --system), one actor per line, indented by level. Read from the
/// local actor cells, so it is exact at the moment it is taken and needs no timeouts.
/// </summary>
public sealed class ActorHierarchyCommand : ControlCommand
{
    const string Depth = "depth", SystemSwitch = "system";

    public override IReadOnlyList<string> Words => ["actor", "hierarchy"];

    public override IReadOnlyList<string> ValueOptions => [Depth];

    public override IReadOnlyList<string> Switches => [SystemSwitch];

    public override string Summary => "this node's actor tree (/user; /system too with --system)";

    protected override string OptionValueName(string option) => "N";

    protected override void CheckOptions(ControlRequest request) => IntOption(request, Depth, int.MaxValue, 1, int.MaxValue);

    public override async Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation)
    {
        var depth = IntOption(request, Depth, int.MaxValue, 1, int.MaxValue);
        var system = (ExtendedActorSystem)context.System;
        var roots = request.Options.ContainsKey(SystemSwitch) ? new[] { system.Guardian, system.SystemGuardian } : [system.Guardian];
        foreach (var root in roots)
            foreach (var line in Walk(root, 0, depth))
                await context.WriteLineAsync(line);
    }

    static IEnumerable<string> Walk(IActorRef actor, int level, int depth)
    {
        yield return level == 0 ? actor.Path.ToStringWithoutAddress() : new string(' ', 2 * level) + actor.Path.Name;
        if (level >= depth || actor is not ActorRefWithCell cell) yield break;
        foreach (var child in cell.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal))
            foreach (var line in Walk(child, level + 1, depth))
                yield return line;
    }
}
