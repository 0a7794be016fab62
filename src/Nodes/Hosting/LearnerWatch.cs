using Akka.Actor;
using Akka.Cluster;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// On a worker: when no <c>learner</c> member has been Up for <c>alrs.worker.learner-timeout</c>
/// (the learner's node finished, or died and did not come back), this worker leaves the
/// cluster and its process exits. A restarted learner node may form a new cluster from its
/// seed list; a supervisor (compose's restart policy) then restarts the worker, which joins
/// it through the seeds. A learner node back within the timeout rejoins this cluster instead.
/// </summary>
public sealed class LearnerWatch : ReceiveActor, IWithTimers
{
    sealed record Expired
    {
        public static readonly Expired Instance = new();
    }

    readonly TimeSpan _timeout;
    readonly TextWriter _output;
    readonly HashSet<UniqueAddress> _learners = [];

    public LearnerWatch(TimeSpan timeout, TextWriter output)
    {
        _timeout = timeout;
        _output = output;
        Receive<ClusterEvent.MemberUp>(e => Track(e.Member, up: true));
        Receive<ClusterEvent.MemberRemoved>(e => Track(e.Member, up: false));
        Receive<ClusterEvent.UnreachableMember>(e => Track(e.Member, up: false));
        Receive<ClusterEvent.ReachableMember>(e => Track(e.Member, up: e.Member.Status == MemberStatus.Up));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        Receive<Expired>(_ =>
        {
            if (_learners.Count > 0) return;
            _output.WriteLine($"worker: no learner node for {_timeout.TotalSeconds:0}s; leaving the cluster");
            CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan timeout, TextWriter output) => Akka.Actor.Props.Create(() => new LearnerWatch(timeout, output));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    void Track(Member member, bool up)
    {
        if (!member.HasRole(NodeRoles.Learner)) return;
        if (up) _learners.Add(member.UniqueAddress);
        else _learners.Remove(member.UniqueAddress);
        if (_learners.Count > 0) Timers.Cancel("expire");
        else if (!Timers.IsTimerActive("expire")) Timers.StartSingleTimer("expire", Expired.Instance, _timeout);
    }
}
