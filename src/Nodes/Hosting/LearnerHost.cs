using Akka.Actor;
using Akka.Cluster;
using Alrs.Actors;
using Alrs.Learning.Ppo;
using Alrs.Messages;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// The cluster singleton of the <c>learner</c> role: owns the <see cref="PolicyStore"/> (one
/// writer of its persistence id in the whole cluster) and the <see cref="LearnerActor"/>,
/// forwards every message to the learner, and tells it when a worker node becomes
/// unreachable or is removed without leaving, so that node's environments and unfinished
/// episodes are dropped.
/// </summary>
public sealed class LearnerHost : ReceiveActor
{
    readonly IActorRef _learner;

    public LearnerHost(ActorSettings settings, Func<PpoAgent> createAgent)
    {
        var store = Context.ActorOf(PolicyStore.Props(settings), "policy-store");
        _learner = Context.ActorOf(LearnerActor.Props(settings, createAgent, store), "learner");

        Receive<ClusterEvent.UnreachableMember>(e => Lost(e.Member, "unreachable"));
        // A worker that left gracefully (Exiting) stopped its environments itself: DeathWatch
        // tells the learner, and it is not a lost node.
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            if (e.PreviousStatus != MemberStatus.Exiting) Lost(e.Member, "removed");
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        ReceiveAny(message => _learner.Forward(message));
    }

    public static Props Props(ActorSettings settings, Func<PpoAgent> createAgent) =>
        Akka.Actor.Props.Create(() => new LearnerHost(settings, createAgent));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    void Lost(Member member, string reason)
    {
        if (member.HasRole(NodeRoles.Worker) && member.Address != Cluster.Get(Context.System).SelfAddress)
            _learner.Tell(new WorkerNodeLost(member.Address.ToString(), reason));
    }
}
