using Akka.Actor;
using Akka.Cluster;
using Alrs.Actors;
using Alrs.Learning.Ppo;
using Alrs.Messages;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// The cluster singleton of the <c>learner</c> role: owns the <see cref="PolicyStore"/> (one
/// writer of its persistence id in the whole cluster) and the <see cref="LearnerActor"/>,
/// forwards every message to the learner, and tells it when a worker node is removed without
/// leaving, so that node's environments and unfinished episodes are dropped. A node that is
/// only unreachable for a while (within the failure detector's pause, before the downing
/// provider removes it) keeps its open episodes: when it comes back their fragments continue.
/// It also answers <see cref="GetLearnerSpec"/> for worker admission. With a population
/// (<c>alrs.population.controllers</c> &gt; 1) its child is a <see cref="PopulationActor"/>,
/// which owns the K learners and their stores, in the learner's place.
/// </summary>
public sealed class LearnerHost : ReceiveActor
{
    readonly IActorRef _learner;

    public LearnerHost(ActorSettings settings, PopulationSettings population, Func<int, int, PpoAgent> createAgent, LearnerSpec spec)
    {
        // Answered by the host, not the learner, so workers are admitted even while the store recovers.
        Receive<GetLearnerSpec>(_ => Sender.Tell(spec));
        if (population.IsPopulation)
        {
            _learner = Context.ActorOf(PopulationActor.Props(settings, population, createAgent), "learner");
        }
        else
        {
            var store = Context.ActorOf(PolicyStore.Supervised(settings), "policy-store");
            _learner = Context.ActorOf(LearnerActor.Props(settings, () => createAgent(0, settings.LearnerSeed), store), "learner");
        }

        // A worker that left gracefully (Exiting) stopped its environments itself: DeathWatch
        // tells the learner, and it is not a lost node.
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            if (e.PreviousStatus != MemberStatus.Exiting) Lost(e.Member, "removed");
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        ReceiveAny(message => _learner.Forward(message));
    }

    public static Props Props(ActorSettings settings, PopulationSettings population, Func<int, int, PpoAgent> createAgent, LearnerSpec spec) =>
        Akka.Actor.Props.Create(() => new LearnerHost(settings, population, createAgent, spec));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    void Lost(Member member, string reason)
    {
        if (member.HasRole(NodeRoles.Worker) && member.Address != Cluster.Get(Context.System).SelfAddress)
            _learner.Tell(new WorkerNodeLost(member.Address.ToString(), reason));
    }
}
