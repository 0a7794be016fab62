namespace Alrs.Nodes.Control;

/// <summary><c>cluster show</c>: every member this node knows, with status, roles and reachability, and the leader.</summary>
public sealed class ClusterShowCommand : ControlCommand
{
    public override IReadOnlyList<string> Words => ["cluster", "show"];

    public override string Summary => "members with address, status, roles, reachability; the leader";

    public override async Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation)
    {
        var cluster = ControlTargets.Cluster(context.System);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var rows = state.Members
            .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => (IReadOnlyList<string>)
            [
                m.Address.ToString(),
                m.Status.ToString(),
                string.Join(",", m.Roles.Order()),
                unreachable.Contains(m.Address) ? "unreachable" : "reachable",
                string.Join(" ", new[] { m.Address == state.Leader ? "leader" : "", m.Address == cluster.SelfAddress ? "self" : "" }.Where(n => n.Length > 0)),
            ])
            .ToArray();
        foreach (var line in TextTable.Format(["ADDRESS", "STATUS", "ROLES", "REACHABILITY", "NOTE"], rows))
            await context.WriteLineAsync(line);
        await context.WriteLineAsync($"leader: {state.Leader?.ToString() ?? "(none yet)"}; members: {rows.Length}, unreachable: {unreachable.Count}");
    }
}
