namespace Alrs.Nodes.Control;

/// <summary><c>cluster leave ADDRESS</c>: asks a member to leave gracefully (Leaving, Exiting, Removed).</summary>
public sealed class ClusterLeaveCommand : ControlCommand
{
    public override IReadOnlyList<string> Words => ["cluster", "leave"];

    public override IReadOnlyList<string> ArgumentNames => ["ADDRESS"];

    public override string Summary => "make a member leave the cluster gracefully";

    public override async Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation)
    {
        var cluster = ControlTargets.Cluster(context.System);
        var member = MemberAddress.Find(cluster, request.Arguments[0]);
        cluster.Leave(member.Address);
        await context.WriteLineAsync($"leave requested for {member.Address} (was {member.Status}); 'cluster tail' shows it leave, exit and be removed");
    }
}
