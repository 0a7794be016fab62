using System.Globalization;
using Akka.Actor;
using Alrs.Actors;
using Alrs.Messages;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Prints the learner's progress on a learner node as machine-readable lines, e.g.
/// <c>learner: version=12 updates=11 episodes=9 fragments=40 duplicates=0 stale=0 discarded=2 lost-nodes=1 environments=2</c>,
/// <c>learner: published version=13 ...</c> (each version the learner committed and sent out)
/// <c>learner: lost worker node ADDRESS (removed)</c>, <c>learner: store=unavailable cause=...</c>
/// and <c>learner: store=available outage-seconds=31</c>. Once published (stored) versions
/// account for <c>episodes</c> episodes (<see cref="PolicyPublished.Episodes"/>; episodes that
/// only ended, e.g. during a store outage, do not count yet) it prints
/// <c>learner: finished ...</c> and leaves the cluster, so <c>alrs seed</c> exits 0. When the
/// policy store stayed unavailable too long it shuts the node down with a
/// <see cref="NodeFailedReason"/> naming the store, the cause and the episodes and version not
/// stored (exit 1). In a population (<c>population</c>) the status, published and episode lines
/// name their controller (<c>controller=K</c>), and <c>episodes</c> counts all controllers'
/// stored episodes together. With population-based training each exploit is a line
/// <c>learner: pbt: controller K ... exploits controller J vN ...</c>.
/// </summary>
public sealed class TrainingReport : ReceiveActor
{
    readonly TextWriter _output;
    readonly long _episodes;
    long _seen, _stored, _version = -1;
    LearnerStatus? _last;
    bool _finished;

    public TrainingReport(TextWriter output, long episodes, string storeName, bool population = false)
    {
        _output = output;
        _episodes = episodes;
        string Of(int controller) => population ? $" controller={controller}" : "";
        Receive<PolicyStoreAvailability>(a => _output.WriteLine(a.Available
            ? string.Create(CultureInfo.InvariantCulture, $"learner: store={LearnerStatus.StoreAvailable} outage-seconds={a.Outage.TotalSeconds:F0}")
            : $"learner: store={LearnerStatus.StoreUnavailable} cause={a.Cause}"));
        Receive<PolicyStoreGaveUp>(gaveUp =>
        {
            // `alrs seed` prints the reason as its one error line and exits 1.
            var failure = new PolicyStoreUnavailableException(storeName, gaveUp).Message;
            CoordinatedShutdown.Get(Context.System).Run(new NodeFailedReason(failure, exitCode: 1));
        });
        Receive<LearnerStatus>(status =>
        {
            _last = status;
            _output.WriteLine("learner:" + Of(status.Controller) + " " + Line(status));
        });
        Receive<PolicyPublished>(published =>
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"learner: published{Of(published.Controller)} version={published.Version} decisions={published.Decisions} seconds={published.Seconds:F3} episodes={published.Episodes}"));
            (_stored, _version) = (_stored + published.Episodes, published.Version);
            if (_stored < _episodes || _finished) return;
            _finished = true;
            _output.WriteLine($"learner: finished {_episodes} episodes; stored {_stored} through version {_version}{Of(published.Controller)}; {(_last is null ? "no status" : Line(_last))}");
            CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        });
        Receive<WorkerNodeLost>(lost => _output.WriteLine($"learner: lost worker node {lost.Address} ({lost.Reason})"));
        Receive<PopulationExploit>(exploit => _output.WriteLine($"learner: {PbtHyperparameters.Describe(exploit)}"));
        Receive<EnvironmentFailed>(failed => _output.WriteLine($"learner: {failed.EnvironmentId} failed in episode {failed.EpisodeId}: {failed.Reason}"));
        Receive<EpisodeSummary>(summary =>
        {
            if (_finished) return;
            _seen++;
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"learner: episode {_seen}/{_episodes} from {summary.EnvironmentId} return={summary.Return:F3} val-loss={summary.FinalValidationLoss:F4} policy={summary.PolicyVersion}{Of(summary.Controller)}"));
            if (_seen == _episodes)
                _output.WriteLine($"learner: played {_seen} episodes; finishing once stored versions account for them ({_stored} so far)");
        });
    }

    public static Props Props(TextWriter output, long episodes, string storeName = "the policy store", bool population = false) =>
        Akka.Actor.Props.Create(() => new TrainingReport(output, episodes, storeName, population));

    protected override void PreStart()
    {
        foreach (var type in new[] { typeof(LearnerStatus), typeof(PolicyPublished), typeof(WorkerNodeLost), typeof(EnvironmentFailed), typeof(EpisodeSummary),
                     typeof(PolicyStoreAvailability), typeof(PolicyStoreGaveUp), typeof(PopulationExploit) })
            Context.System.EventStream.Subscribe(Self, type);
    }

    static string Line(LearnerStatus s) =>
        $"version={s.Version} updates={s.Updates} episodes={s.Episodes} fragments={s.FragmentsReceived} duplicates={s.Duplicates} " +
        $"stale={s.DroppedStale} discarded={s.Discarded} lost-nodes={s.LostNodes} environments={s.EnvironmentsConnected} " +
        $"malformed={s.Malformed} refused={s.Refused} store={s.Store}";
}
