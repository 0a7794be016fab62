using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Alrs.Messages;

namespace Alrs.Bench;

/// <summary>What the capacity benchmark's coordinator saw: workers, publications and adoptions (thread-safe).</summary>
public sealed class CapacityRecord
{
    public ConcurrentDictionary<int, IActorRef> Workers { get; } = new();
    /// <summary>Version → (when the learner published it, its PPO update's seconds), per learner run.</summary>
    public ConcurrentDictionary<(int Run, long Version), (long Timestamp, double UpdateSeconds)> Published { get; } = new();
    /// <summary>(run, version, worker) → when the worker's last environment adopted it.</summary>
    public ConcurrentDictionary<(int Run, long Version, int Worker), long> Adopted { get; } = new();
    /// <summary>The run whose publications are recorded.</summary>
    public int Run { get; set; }
}

/// <summary>
/// The learner process's end of the capacity benchmark protocol, at <c>/user/capacity</c>:
/// registers worker processes, timestamps every <see cref="PolicyPublished"/> of the learner
/// (on its own mailbox, so fragments queued for the learner do not delay the clock) and
/// collects <see cref="VersionAdopted"/> reports.
/// </summary>
public sealed class CapacityCoordinator : ReceiveActor
{
    public CapacityCoordinator(CapacityRecord record)
    {
        Receive<WorkerReady>(ready => record.Workers[ready.Worker] = Sender);
        Receive<PolicyPublished>(published => record.Published[(record.Run, published.Version)] = (Stopwatch.GetTimestamp(), published.Seconds));
        Receive<VersionAdopted>(adopted => record.Adopted[(adopted.Run, adopted.Version, adopted.Worker)] = adopted.Timestamp);
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(PolicyPublished));

    public static Props Props(CapacityRecord record) => Akka.Actor.Props.Create(() => new CapacityCoordinator(record));
}
