using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Persists every committed policy version: an event (version, time, checksum, metrics, the
/// learner's fragment watermarks, episode scores) in the journal, then a snapshot with the
/// weights. A commit is confirmed only once both are written, so a version the learner
/// publishes is always recoverable. Keeps the last <see cref="ActorSettings.KeepLast"/> weight
/// snapshots plus the best by validation loss and deletes the others. On recovery the newest
/// weights, the best and the watermarks come back from the latest snapshot; versions committed
/// after it (event without snapshot) advance only the numbering. Watermarks travel with the
/// weights they belong to: a version whose weights were not saved does not move them, or the
/// fragments it trained on would count as used while the weights know nothing of them.
/// Population-based-training exploits (<see cref="CommitPolicy.Exploit"/>) are kept the same way:
/// written in their version's event, and part of the lineage (every snapshot, then
/// <see cref="StoredPolicies.Exploits"/>) once their version's weights are saved.
/// <para>
/// "Best" is the lowest mean final validation loss of the episodes a version played (scores
/// arrive with later commits); only versions whose weights are at hand can become best: the
/// kept ones while the store runs, the latest and the best after a recovery.
/// </para>
/// <para>
/// A failed journal write or recovery stops the store (Akka's rule: it cannot know what was
/// written); it runs under <see cref="Supervised"/>, a backoff supervisor that starts it again
/// after backoff-min, doubling up to backoff-max. The learner retries its commit meanwhile.
/// </para>
/// </summary>
public sealed class PolicyStore : ReceivePersistentActor
{
    readonly int _keepLast;
    readonly ILoggingAdapter _log = Context.GetLogger();

    long _lastVersion = -1;
    PolicyVersion? _latest;
    PolicyVersion? _best;
    double? _bestLoss;
    EnvironmentWatermark[] _watermarks = [];
    /// <summary>Exploits whose versions' weights are saved, oldest first (a few per interval-updates updates at most).</summary>
    readonly List<PopulationExploit> _exploits = [];
    readonly List<(long Version, long SequenceNr)> _kept = [];
    /// <summary>Weights of the kept versions (and the best): candidates for best when their scores come in.</summary>
    readonly Dictionary<long, PolicyVersion> _weights = [];
    readonly Dictionary<long, (double Sum, int Episodes)> _scores = [];
    readonly Dictionary<long, (IActorRef ReplyTo, PolicyVersion Policy, EnvironmentWatermark[] Watermarks, PopulationExploit? Exploit)> _awaitingSnapshot = [];
    (IActorRef ReplyTo, long Version)? _persisting;

    public PolicyStore(string persistenceId, int keepLast)
    {
        PersistenceId = persistenceId;
        _keepLast = keepLast;

        Recover<SnapshotOffer>(offer => Restore((PolicyStoreSnapshot)offer.Snapshot));
        // An event after the latest snapshot lost its weights (the snapshot write failed or never
        // happened): its number is taken, its watermarks are not.
        Recover<PolicyVersionCommitted>(committed => _lastVersion = Math.Max(_lastVersion, committed.Version));

        Command<CommitPolicy>(Commit);
        // While a version's weights are being saved the answer would be half-true (its event
        // written, its weights not yet): the query waits for the snapshot's outcome.
        Command<GetStoredPolicies>(_ =>
        {
            if (_awaitingSnapshot.Count > 0) Stash.Stash();
            else Sender.Tell(Stored());
        });
        Command<SaveSnapshotSuccess>(saved => Confirm(saved.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(failed => Fail(failed.Metadata.SequenceNr, failed.Cause));
        Command<DeleteSnapshotSuccess>(_ => { });
        Command<DeleteSnapshotFailure>(failed => _log.Warning("could not delete policy snapshot {0}: {1}", failed.Metadata.SequenceNr, failed.Cause.Message));
    }

    public override string PersistenceId { get; }

    public static Props Props(ActorSettings settings) =>
        Akka.Actor.Props.Create(() => new PolicyStore(settings.PersistenceId, settings.KeepLast));

    /// <summary>
    /// The store under a <see cref="BackoffSupervisor"/> (Akka's pattern for persistent actors):
    /// when a journal or snapshot fault stops it, it is started again after
    /// <see cref="ActorSettings.StoreBackoffMin"/>, doubling up to <see cref="ActorSettings.StoreBackoffMax"/>
    /// with random jitter. While it is down the supervisor answers every request with
    /// <see cref="PolicyStoreRestarting"/>, so the learner knows at once and retries later.
    /// </summary>
    public static Props Supervised(ActorSettings settings) =>
        BackoffSupervisor.Props(Backoff.OnStop(
                // No retry limit (-1): the learner decides when an outage has lasted too long.
                Props(settings), "store", settings.StoreBackoffMin, settings.StoreBackoffMax, settings.StoreBackoffRandomFactor, maxNrOfRetries: -1)
            // A store that ran this long without stopping starts its next outage at backoff-min again.
            .WithAutoReset(settings.StoreBackoffMax + settings.StoreBackoffMax)
            .WithReplyWhileStopped(PolicyStoreRestarting.Instance));

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
        var committed = new PolicyVersionCommitted(policy.Version, DateTime.UtcNow, policy.Checksum, loss, new Dictionary<string, double>(commit.Metrics),
            commit.Watermarks?.ToArray(), commit.Scores?.ToArray(), commit.Exploit);
        _persisting = (Sender, policy.Version);
        Persist(committed, e =>
        {
            _persisting = null;
            _lastVersion = e.Version;
            // Not yet "latest": a version becomes recoverable (and reported), and its watermarks
            // current, once its weights are saved.
            var watermarks = e.Watermarks ?? _watermarks;
            _weights[policy.Version] = policy;
            if (loss is { } l) AddScore(new VersionScore(policy.Version, l, 1));
            foreach (var score in e.Scores ?? []) AddScore(score);
            ChooseBest(policy);
            _kept.Add((policy.Version, LastSequenceNr));
            _awaitingSnapshot[LastSequenceNr] = (Sender, policy, watermarks, e.Exploit);
            SaveSnapshot(Snapshot(policy, watermarks, e.Exploit));
        });
    }

    /// <summary>
    /// The journal write failed: tell the learner at once (it retries), then Akka stops this
    /// actor. One line instead of Akka's stack trace: during an outage every backoff attempt
    /// fails the same way, and the learner already reports the outage.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        ReplyPersistFailed($"journal write failed: {cause.Message}");
        _log.Warning("policy store: writing version event {0} failed: {1}", sequenceNr, FirstLine(cause));
    }

    /// <summary>Recovery failed (database down, file locked): one line; Akka stops this actor and the backoff supervisor starts it again.</summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null) =>
        _log.Warning("policy store: recovery failed after sequence number {0}: {1}", LastSequenceNr, FirstLine(reason));

    static string FirstLine(Exception cause)
    {
        var innermost = cause;
        while (innermost.InnerException is { } inner) innermost = inner;
        var text = innermost == cause ? cause.Message : $"{cause.Message} ({innermost.Message})";
        return text.Split('\n', 2)[0].Trim();
    }

    /// <summary>The journal refused the event (the actor keeps running): the learner retries with a new number.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        ReplyPersistFailed($"journal rejected the write: {cause.Message}");
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    void ReplyPersistFailed(string reason)
    {
        if (_persisting is not { } persisting) return;
        _persisting = null;
        persisting.ReplyTo.Tell(new PolicyCommitFailed(persisting.Version, reason));
    }

    void AddScore(VersionScore score)
    {
        if (!_weights.ContainsKey(score.Version) || score.Episodes <= 0 || !double.IsFinite(score.LossSum)) return;
        var (sum, episodes) = _scores.GetValueOrDefault(score.Version);
        _scores[score.Version] = (sum + score.LossSum, episodes + score.Episodes);
    }

    /// <summary>The scored version with the lowest mean loss among those whose weights are at hand; else keeps the current best (the latest when none).</summary>
    void ChooseBest(PolicyVersion newest)
    {
        var scored = _scores.Where(s => _weights.ContainsKey(s.Key)).Select(s => (Version: s.Key, Loss: s.Value.Sum / s.Value.Episodes)).ToList();
        if (_best is { } current && _bestLoss is { } bestLoss && !_scores.ContainsKey(current.Version)) scored.Add((current.Version, bestLoss));
        if (scored.Count == 0)
        {
            _best ??= newest;
            return;
        }
        var winner = scored.MinBy(s => s.Loss);
        _best = _weights.GetValueOrDefault(winner.Version) ?? _best;
        _bestLoss = winner.Loss;
    }

    void Confirm(long sequenceNr)
    {
        if (!_awaitingSnapshot.Remove(sequenceNr, out var waiting)) return;
        if (_latest is null || waiting.Policy.Version > _latest.Version) (_latest, _watermarks) = (waiting.Policy, waiting.Watermarks);
        if (waiting.Exploit is { } exploit) _exploits.Add(exploit);
        waiting.ReplyTo.Tell(new PolicyCommitted(waiting.Policy.Version));
        Stash.UnstashAll();
        Prune();
    }

    void Fail(long sequenceNr, Exception cause)
    {
        _log.Error(cause, "could not save the weights of policy snapshot {0}", sequenceNr);
        _kept.RemoveAll(k => k.SequenceNr == sequenceNr);
        if (!_awaitingSnapshot.Remove(sequenceNr, out var waiting)) return;
        // Its weights are not on disk: it cannot be best, and the learner re-commits it under a new number.
        _weights.Remove(waiting.Policy.Version);
        _scores.Remove(waiting.Policy.Version);
        if (_best?.Version == waiting.Policy.Version) (_best, _bestLoss) = (_latest, null);
        waiting.ReplyTo.Tell(new PolicyCommitFailed(waiting.Policy.Version, $"snapshot write failed: {cause.Message}"));
        Stash.UnstashAll();
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
        // Weights and scores are remembered for the kept versions only, so memory stays bounded.
        var keep = _kept.Select(k => k.Version).Append(_best?.Version ?? -1).Append(_latest?.Version ?? -1).ToHashSet();
        foreach (var version in _weights.Keys.Where(v => !keep.Contains(v)).ToArray())
        {
            _weights.Remove(version);
            _scores.Remove(version);
        }
    }

    PolicyStoreSnapshot Snapshot(PolicyVersion latest, EnvironmentWatermark[] watermarks, PopulationExploit? exploit)
    {
        var best = _best ?? latest;
        return new PolicyStoreSnapshot(
            latest.Version, latest.Blob, latest.Checksum,
            best.Version, best.Blob, best.Checksum, _bestLoss,
            _kept.Select(k => k.Version).ToArray(), _kept.Select(k => k.SequenceNr).ToArray(), watermarks,
            _exploits.Count > 0 || exploit is not null ? [.. _exploits, .. exploit is null ? [] : new[] { exploit }] : null);
    }

    void Restore(PolicyStoreSnapshot snapshot)
    {
        _latest = new PolicyVersion(snapshot.Version, snapshot.Blob, snapshot.Checksum);
        _best = new PolicyVersion(snapshot.BestVersion, snapshot.BestBlob, snapshot.BestChecksum);
        _bestLoss = snapshot.BestValidationLoss;
        _lastVersion = Math.Max(_lastVersion, snapshot.Version);
        _watermarks = snapshot.Watermarks ?? [];
        _exploits.Clear();
        _exploits.AddRange(snapshot.Exploits ?? []);
        _kept.Clear();
        _kept.AddRange(snapshot.KeptVersions.Zip(snapshot.KeptSequenceNrs));
        _weights.Clear();
        _weights[_latest.Version] = _latest;
        _weights[_best.Version] = _best;
    }

    StoredPolicies Stored() =>
        new(_latest, _best, _bestLoss ?? double.NaN, _lastVersion, _kept.Select(k => k.Version).ToArray(), _watermarks, _exploits.ToArray());
}
