using Akka.Actor;
using Akka.Cluster;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Prints each membership change this node sees, one line each, with the number of members
/// that are Up afterwards: <c>cluster: member up akka.tcp://alrs@127.0.0.1:4053 [learner] (members up: 1)</c>.
/// </summary>
public sealed class MembershipPrinter : ReceiveActor
{
    readonly TextWriter _output;
    readonly HashSet<Address> _up = [];

    public MembershipPrinter(TextWriter output)
    {
        _output = output;
        Receive<ClusterEvent.MemberUp>(e => { _up.Add(e.Member.Address); Print("member up", e.Member); });
        Receive<ClusterEvent.MemberJoined>(e => Print("member joining", e.Member));
        Receive<ClusterEvent.MemberLeft>(e => { _up.Remove(e.Member.Address); Print("member leaving", e.Member); });
        Receive<ClusterEvent.MemberExited>(e => { _up.Remove(e.Member.Address); Print("member exited", e.Member); });
        Receive<ClusterEvent.MemberRemoved>(e => { _up.Remove(e.Member.Address); Print("member removed", e.Member); });
        Receive<ClusterEvent.UnreachableMember>(e => Print("member unreachable", e.Member));
        Receive<ClusterEvent.ReachableMember>(e => Print("member reachable again", e.Member));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props(TextWriter output) => Akka.Actor.Props.Create(() => new MembershipPrinter(output));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    void Print(string change, Member member)
    {
        var roles = string.Join(", ", member.Roles.Order());
        _output.WriteLine($"cluster: {change} {member.Address} [{roles}] (members up: {_up.Count})");
    }
}
