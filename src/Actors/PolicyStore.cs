using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Persists every committed policy version: an event (version, time, checksum, metrics) in
/// the journal, then a snapshot with the weights. A commit is confirmed only once both are
/// written, so a version the learner publishes is always recoverable. Keeps the last
/// <see cref="ActorSettings.KeepLast"/> weight snapshots plus the best by validation loss and
/// deletes the others. On recovery the newest weights and the best come back from the latest
/// snapshot; versions committed after it (event without snapshot) only advance the numbering.
/// </summary>
public sealed class PolicyStore : ReceivePersistentActor
{
    readonly int _keepLast;
    readonly ILoggingAdapter _log = Context.GetLogger();

    long _lastVersion = -1;
    PolicyVersion? _latest;
    PolicyVersion? _best;
    double? _bestLoss;
    readonly List<(long Version, long SequenceNr)> _kept = [];
    readonly Dictionary<long, (IActorRef ReplyTo, long Version)> _awaitingSnapshot = [];

    public PolicyStore(string persistenceId, int keepLast)
    {
        PersistenceId = persistenceId;
        _keepLast = keepLast;

        Recover<SnapshotOffer>(offer => Restore((PolicyStoreSnapshot)offer.Snapshot));
        Recover<PolicyVersionCommitted>(committed => _lastVersion = Math.Max(_lastVersion, committed.Version));

        Command<CommitPolicy>(Commit);
        Command<GetStoredPolicies>(_ => Sender.Tell(Stored()));
        Command<SaveSnapshotSuccess>(saved => Confirm(saved.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(failed => Fail(failed.Metadata.SequenceNr, failed.Cause));
        Command<DeleteSnapshotSuccess>(_ => { });
        Command<DeleteSnapshotFailure>(failed => _log.Warning("could not delete policy snapshot {0}: {1}", failed.Metadata.SequenceNr, failed.Cause.Message));
    }

    public override string PersistenceId { get; }

    public static Props Props(ActorSettings settings) =>
        Akka.Actor.Props.Create(() => new PolicyStore(settings.PersistenceId, settings.KeepLast));

    void Commit(CommitPolicy commit)
    {
        var policy = commit.Policy;
        if (policy.Version <= _lastVersion)
        {
            Sender.Tell(new PolicyCommitFailed(policy.Version, $"version {policy.Version} is not after the last committed version {_lastVersion}"));
            return;
        }
        if (!PolicyChecksum.Matches(policy.Blob, policy.Checksum))
        {
            Sender.Tell(new PolicyCommitFailed(policy.Version, $"checksum of version {policy.Version} does not match its blob"));
            return;
        }
        var loss = double.IsFinite(commit.ValidationLoss) ? commit.ValidationLoss : (double?)null;
        var committed = new PolicyVersionCommitted(policy.Version, DateTime.UtcNow, policy.Checksum, loss, new Dictionary<string, double>(commit.Metrics));
        Persist(committed, e =>
        {
            _lastVersion = e.Version;
            _latest = policy;
            if (_best is null || (loss is { } l && (_bestLoss is not { } best || l < best)))
            {
                _best = policy;
                _bestLoss = loss;
            }
            _kept.Add((policy.Version, LastSequenceNr));
            _awaitingSnapshot[LastSequenceNr] = (Sender, policy.Version);
            SaveSnapshot(Snapshot());
        });
    }

    void Confirm(long sequenceNr)
    {
        if (!_awaitingSnapshot.Remove(sequenceNr, out var waiting)) return;
        waiting.ReplyTo.Tell(new PolicyCommitted(waiting.Version));
        Prune();
    }

    void Fail(long sequenceNr, Exception cause)
    {
        _log.Error(cause, "could not save the weights of policy snapshot {0}", sequenceNr);
        _kept.RemoveAll(k => k.SequenceNr == sequenceNr);
        if (_awaitingSnapshot.Remove(sequenceNr, out var waiting))
            waiting.ReplyTo.Tell(new PolicyCommitFailed(waiting.Version, $"snapshot write failed: {cause.Message}"));
    }

    /// <summary>Deletes weight snapshots beyond the last keep-last, sparing the best version's.</summary>
    void Prune()
    {
        var surplus = _kept
            .Take(Math.Max(0, _kept.Count - _keepLast))
            .Where(k => k.Version != _best?.Version && !_awaitingSnapshot.ContainsKey(k.SequenceNr))
            .ToList();
        foreach (var snapshot in surplus)
        {
            DeleteSnapshot(snapshot.SequenceNr);
            _kept.Remove(snapshot);
        }
    }

    PolicyStoreSnapshot Snapshot()
    {
        var latest = _latest!;
        var best = _best ?? latest;
        return new PolicyStoreSnapshot(
            latest.Version, latest.Blob, latest.Checksum,
            best.Version, best.Blob, best.Checksum, _bestLoss,
            _kept.Select(k => k.Version).ToArray(), _kept.Select(k => k.SequenceNr).ToArray());
    }

    void Restore(PolicyStoreSnapshot snapshot)
    {
        _latest = new PolicyVersion(snapshot.Version, snapshot.Blob, snapshot.Checksum);
        _best = new PolicyVersion(snapshot.BestVersion, snapshot.BestBlob, snapshot.BestChecksum);
        _bestLoss = snapshot.BestValidationLoss;
        _lastVersion = Math.Max(_lastVersion, snapshot.Version);
        _kept.Clear();
        _kept.AddRange(snapshot.KeptVersions.Zip(snapshot.KeptSequenceNrs));
    }

    StoredPolicies Stored() =>
        new(_latest, _best, _bestLoss ?? double.NaN, _lastVersion, _kept.Select(k => k.Version).ToArray());
}
