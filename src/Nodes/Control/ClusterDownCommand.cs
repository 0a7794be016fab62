namespace Alrs.Nodes.Control;

/// <summary>
/// <c>cluster down ADDRESS</c>: marks a member down, removing it without its cooperation;
/// for a node that crashed or hangs. A downed node that still runs shuts itself down.
/// </summary>
public sealed class ClusterDownCommand : ControlCommand
{
    public override IReadOnlyList<string> Words => ["cluster", "down"];

    public override IReadOnlyList<string> ArgumentNames => ["ADDRESS"];

    public override string Summary => "mark a member down (crashed or hung nodes; prefer leave)";

    public override async Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation)
    {
        var cluster = ControlTargets.Cluster(context.System);
        var member = MemberAddress.Find(cluster, request.Arguments[0]);
        cluster.Down(member.Address);
        await context.WriteLineAsync($"down requested for {member.Address} (was {member.Status}); it will be removed from the cluster");
    }
}
