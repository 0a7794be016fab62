using Akka.Actor;
using Alrs.Messages;

namespace Alrs.Bench;

/// <summary>What arrived at the learner's node: fragments, their decisions and policy lag (thread-safe).</summary>
public sealed class ArrivalCounters
{
    long _fragments, _decisions, _lagSum, _lagMax;

    public void Add(int decisions, long lag)
    {
        Interlocked.Increment(ref _fragments);
        Interlocked.Add(ref _decisions, decisions);
        Interlocked.Add(ref _lagSum, lag);
        long max;
        while (lag > (max = Interlocked.Read(ref _lagMax)) && Interlocked.CompareExchange(ref _lagMax, lag, max) != max) { }
    }

    public (long Fragments, long Decisions, long LagSum) Read() =>
        (Interlocked.Read(ref _fragments), Interlocked.Read(ref _decisions), Interlocked.Read(ref _lagSum));

    /// <summary>The largest lag seen since the last call.</summary>
    public long TakeMaxLag() => Interlocked.Exchange(ref _lagMax, 0);
}

/// <summary>
/// Stands where workers find the learner in the capacity benchmark and forwards everything to
/// the real <see cref="Alrs.Actors.LearnerActor"/> (sender kept, so acknowledgements and
/// policies go straight to the environments), counting on the way every fragment, its
/// decisions and its policy lag: the newest published version minus the version that sampled
/// it, when it reaches the learner's node.
/// </summary>
public sealed class LearnerTap : ReceiveActor
{
    long _published = -1;

    public LearnerTap(IActorRef learner, ArrivalCounters counters)
    {
        Receive<PolicyPublished>(published => _published = Math.Max(_published, published.Version));
        Receive<TrajectoryFragment>(fragment =>
        {
            counters.Add(fragment.Decisions.Count, Math.Max(0, _published - fragment.PolicyVersion));
            learner.Forward(fragment);
        });
        ReceiveAny(learner.Forward);
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(PolicyPublished));

    public static Props Props(IActorRef learner, ArrivalCounters counters) =>
        Akka.Actor.Props.Create(() => new LearnerTap(learner, counters));
}
