using System.Globalization;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;

namespace Alrs.Nodes.Control;

/// <summary>
/// Subscribes to this node's membership and reachability events and writes each as one
/// timestamped line to a channel that a <c>cluster tail</c> session drains.
/// </summary>
public sealed class ClusterEventForwarder : ReceiveActor
{
    readonly ChannelWriter<string> _lines;

    public ClusterEventForwarder(ChannelWriter<string> lines)
    {
        _lines = lines;
        Receive<ClusterEvent.CurrentClusterState>(state =>
            Write($"following {state.Members.Count} member(s), leader {state.Leader?.ToString() ?? "(none yet)"}; Ctrl-C stops"));
        Receive<ClusterEvent.MemberJoined>(e => Write("member joining", e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Write("member weakly up", e.Member));
        Receive<ClusterEvent.MemberUp>(e => Write("member up", e.Member));
        Receive<ClusterEvent.MemberLeft>(e => Write("member leaving", e.Member));
        Receive<ClusterEvent.MemberExited>(e => Write("member exited", e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => Write($"member removed (was {e.PreviousStatus})", e.Member));
        Receive<ClusterEvent.MemberDowned>(e => Write("member downed", e.Member));
        Receive<ClusterEvent.UnreachableMember>(e => Write("member unreachable", e.Member));
        Receive<ClusterEvent.ReachableMember>(e => Write("member reachable again", e.Member));
        Receive<ClusterEvent.LeaderChanged>(e => Write($"leader is now {e.Leader?.ToString() ?? "(none)"}"));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public static Props Props(ChannelWriter<string> lines) => Akka.Actor.Props.Create(() => new ClusterEventForwarder(lines));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        _lines.TryComplete();
    }

    void Write(string change, Member member) => Write($"{change} {member.Address} [{string.Join(", ", member.Roles.Order())}]");

    void Write(string text) => _lines.TryWrite($"{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {text}");
}
