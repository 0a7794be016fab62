using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Alrs.Learning.Ppo;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Owns the learning PpoAgent. Handles <see cref="RegisterEnvironment"/>,
/// <see cref="RegisterPolicyRelay"/>, <see cref="TrajectoryFragment"/>, <see cref="EpisodeSummary"/>,
/// <see cref="EnvironmentFailed"/>, <see cref="EnvironmentStopped"/>, <see cref="WorkerNodeLost"/>,
/// <see cref="GetLearnerStatus"/>, <see cref="GetPolicySnapshot"/>, <see cref="ExploitFrom"/> and
/// the store's answers. Runs a PPO update whenever it holds
/// <see cref="ActorSettings.StepsPerUpdate"/> decisions, commits the new version to the
/// <see cref="PolicyStore"/> and, once the store confirmed it, publishes it: once to every node's
/// <see cref="PolicyRelay"/>, and directly to registered environments on nodes without one.
/// <para>
/// The update runs inline (tens of ms on CPU) on the learner's own pinned dispatcher. Only one
/// version is in flight to the store at a time; fragments keep being buffered meanwhile (at
/// most <see cref="ActorSettings.MaxBufferedDecisions"/>), and an update uses every buffered
/// decision (at least steps-per-update).
/// </para>
/// <para>
/// Exactly once: every fragment is validated (<see cref="FragmentValidator"/>), placed against
/// its environment's watermark (<see cref="FragmentWatermarks"/>) and counted once: duplicate,
/// refused (out of order or buffer full), malformed, discarded (its episode failed), stale (older
/// than <see cref="ActorSettings.MaxPolicyLag"/>) or used. A fragment is acknowledged only when
/// the version whose watermark covers it is committed; environments re-send what was not
/// acknowledged, and the persisted watermark makes the re-sent copy a duplicate.
/// </para>
/// <para>
/// Store outages (<see cref="StoreOutage"/>): a failed, refused or unanswered commit marks the
/// store unavailable; the learner keeps buffering, retries every
/// <see cref="ActorSettings.StoreRetryInterval"/> (re-numbering the version if the store moved
/// on), publishes nothing uncommitted, and stops with <see cref="PolicyStoreGaveUp"/> after
/// <see cref="ActorSettings.StoreUnavailableTimeout"/>.
/// </para>
/// <para>
/// Population-based training (<see cref="ExploitFrom"/>, from its population): the learner
/// continues from the version it is sent, as a new version of its own (<see cref="PbtExploitation"/>),
/// once no commit of its own is in flight; what it had buffered and what arrives acted by older
/// versions counts as stale. It knows nothing of the controller the version came from.
/// </para>
/// </summary>
public sealed class LearnerActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    const int RecentEpisodes = 20, RememberedItems = 4096;
    const string StoreRequestTimer = "store-request", StoreRetryTimer = "store-retry";

    sealed record StoreRequestTimedOut
    {
        public static readonly StoreRequestTimedOut Instance = new();
    }

    sealed record RetryStore
    {
        public static readonly RetryStore Instance = new();
    }

    /// <summary>A version on its way to the store, with what it settles once committed.</summary>
    sealed record PendingCommit(
        PolicyVersion Policy,
        PpoUpdateMetrics? Metrics,
        IReadOnlyList<EnvironmentWatermark> Watermarks,
        IReadOnlyList<VersionScore> Scores,
        IReadOnlyList<(IActorRef Environment, FragmentAck Ack)> Acks,
        int Episodes,
        IReadOnlyDictionary<string, double> Hyperparameters,
        PopulationExploit? Exploit = null,
        IActorRef? ExploitReplyTo = null);

    readonly ActorSettings _settings;
    readonly Func<PpoAgent> _createAgent;
    readonly IActorRef _store;
    readonly ILoggingAdapter _log = Context.GetLogger();
    readonly StoreOutage _outage;
    readonly FragmentWatermarks _watermarks;

    PpoAgent? _agent;
    readonly ActingStatistics _actingStatistics;
    FragmentValidator? _validator;
    PolicyVersion? _published;
    /// <summary>The explorable PPO hyperparameters <see cref="_published"/> was made with.</summary>
    IReadOnlyDictionary<string, double> _publishedHyperparameters = new Dictionary<string, double>();
    /// <summary>An exploit that arrived while a commit was in flight: applied once it is settled.</summary>
    (ExploitFrom Exploit, IActorRef ReplyTo)? _deferredExploit;
    /// <summary>The version of the last exploit: fragments acted by older versions are stale (other weights).</summary>
    long _exploitedAt;
    /// <summary>Decisions of the fragments stashed while the store recovers at start-up (bounded).</summary>
    int _stashedWhileStarting;
    long _nextVersion;
    PendingCommit? _committing;

    readonly Dictionary<IActorRef, string> _environments = [];
    /// <summary>Each node's policy relay and the newest version it holds or was sent.</summary>
    readonly Dictionary<IActorRef, long> _relays = [];
    // Bounded: a long run or a hostile sender cannot grow them (a forgotten entry costs one more log line or count).
    readonly BoundedSet<string> _lostNodes = new(RememberedItems);
    readonly BoundedSet<string> _malformedLogged = new(RememberedItems);
    readonly BoundedSet<(string Environment, long Episode)> _discardedEpisodes = new(RememberedItems);
    /// <summary>Parents of registered environments: the rollout supervisors, the only ones whose <see cref="EnvironmentFailed"/> counts.</summary>
    readonly BoundedSet<ActorPath> _supervisors = new(RememberedItems);
    readonly BoundedSet<string> _refusalsLogged = new(16);
    readonly Dictionary<(string Environment, long Episode), List<TrajectoryFragment>> _buffer = [];
    readonly List<(IActorRef Environment, FragmentAck Ack)> _pendingAcks = [];
    int _bufferedDecisions;
    bool _watermarksFullLogged;

    readonly Queue<double> _recentReturns = new();
    readonly Dictionary<long, (double Sum, int Episodes)> _scoresSinceCommit = [];
    readonly Stopwatch _sampling = new();
    int _lostNodeCount;
    long _updates, _episodes, _episodesStored, _fragments, _decisionsAccepted, _decisionsUsed, _stale, _duplicates, _discarded, _malformed, _refused;

    public LearnerActor(ActorSettings settings, Func<PpoAgent> createAgent, IActorRef store)
    {
        _settings = settings;
        _createAgent = createAgent;
        _store = store;
        // The published version and those still accepted as not stale.
        _actingStatistics = new ActingStatistics(settings.MaxPolicyLag + 2);
        _outage = new StoreOutage(settings.StoreOutageLogInterval, settings.StoreUnavailableTimeout);
        // An environment re-sends unacknowledged fragments every ack-timeout: silent for three, it holds none.
        _watermarks = new FragmentWatermarks(settings.WatermarkEnvironments, settings.AckTimeout * 3);
        Starting();
    }

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ActorSettings settings, Func<PpoAgent> createAgent, IActorRef store) =>
        Akka.Actor.Props.Create(() => new LearnerActor(settings, createAgent, store)).WithDispatcher(settings.LearnerDispatcher);

    protected override void PreStart()
    {
        Context.Watch(_store);
        AskStore(GetStoredPolicies.Instance);
    }

    protected override void PostStop() => _agent?.Dispose();

    /// <summary>Waits for the store's recovery (retrying while it is unavailable): continue from its latest version, or start version 0.</summary>
    void Starting()
    {
        Receive<StoredPolicies>(stored =>
        {
            StoreAnswered();
            _watermarks.Restore(stored.Watermarks ?? []);
            if (stored.Latest is { } latest)
            {
                if (!PolicyChecksum.Matches(latest.Blob, latest.Checksum))
                    throw new InvalidOperationException($"stored policy version {latest.Version} does not match its checksum");
                _agent = PpoAgent.FromBlob(latest.Blob);
                _actingStatistics.Remember(latest.Version, _agent.ObservationStatistics);
                _validator = new FragmentValidator(_agent.ObservationSize, _agent.ActionSpace, _settings.Controller);
                _published = latest with { Controller = _settings.Controller };
                _publishedHyperparameters = PbtHyperparameters.Of(_agent.Settings);
                _nextVersion = Math.Max(stored.LastVersionNumber, latest.Version) + 1;
                _log.Info("continuing from stored policy version {0}", latest.Version);
                // Environments that sent fragments while the store recovered get the policy now.
                foreach (var environment in _environments.Keys) environment.Tell(_published);
                Become(Training);
                Stash.UnstashAll();
                Context.System.EventStream.Publish(Status());
            }
            else
            {
                // Fresh start (version 0), or a store whose versions lost their weights: new numbers anyway.
                _agent = _createAgent();
                _validator = new FragmentValidator(_agent.ObservationSize, _agent.ActionSpace, _settings.Controller);
                _nextVersion = stored.LastVersionNumber + 1;
                Become(Training);
                Stash.UnstashAll();
                Commit(null);
            }
        });
        ReceiveStoreFailures(() => AskStore(GetStoredPolicies.Instance));
        Receive<GetLearnerStatus>(_ => Sender.Tell(Status()));
        // Stashed up to max-buffered-decisions (a resumed run's first episodes are not lost while
        // the store recovers); beyond that refused, so a long outage at start-up cannot fill
        // memory: the environment re-sends what was not acknowledged.
        Receive<TrajectoryFragment>(fragment =>
        {
            if (!_environments.ContainsKey(Sender) && !Sender.IsNobody()) Register(new RegisterEnvironment(fragment.EnvironmentId));
            if (_stashedWhileStarting + fragment.Decisions.Count <= _settings.MaxBufferedDecisions)
            {
                _stashedWhileStarting += fragment.Decisions.Count;
                Stash.Stash();
                return;
            }
            _fragments++;
            _refused++;
        });
        ReceiveAny(_ => Stash.Stash());
    }

    void Training()
    {
        // An explicit registration comes only from a newly started environment actor (after a
        // learner restart environments do not register again, they just send): its episode
        // numbering starts over, e.g. in a resumed `alrs train` whose ids are "env-0" again.
        Receive<RegisterEnvironment>(register =>
        {
            _watermarks.Forget(register.EnvironmentId);
            Register(register);
        });
        Receive<RegisterPolicyRelay>(RegisterRelay);
        Receive<TrajectoryFragment>(Accept);
        Receive<EpisodeSummary>(Summarise);
        Receive<EnvironmentFailed>(Discard);
        Receive<EnvironmentStopped>(stopped =>
        {
            _log.Warning("environment {0} stopped after {1} failures: {2}", stopped.EnvironmentId, stopped.Failures, stopped.Reason);
            Context.System.EventStream.Publish(stopped);
        });
        Receive<PolicyCommitted>(committed =>
        {
            if (_committing is { } pending && pending.Policy.Version == committed.Version) Publish(pending);
        });
        Receive<PolicyCommitFailed>(failed =>
        {
            if (_committing is { } pending && pending.Policy.Version == failed.Version) StoreFailed($"version {failed.Version} could not be stored: {failed.Reason}", RetryStore.Instance);
        });
        // The answer to a retry: is the store back, and did it keep the version after all?
        Receive<StoredPolicies>(Reconcile);
        ReceiveStoreFailures(() => AskStore(GetStoredPolicies.Instance));
        Receive<GetLearnerStatus>(_ => Sender.Tell(Status()));
        Receive<GetPolicySnapshot>(_ => Sender.Tell(new PolicySnapshot(_published, _publishedHyperparameters)));
        Receive<ExploitFrom>(exploit =>
        {
            if (_committing is null) Exploit(exploit, Sender);
            else _deferredExploit = (exploit, Sender);
        });
        Receive<Terminated>(t =>
        {
            if (_relays.Remove(t.ActorRef)) return;
            if (_environments.Remove(t.ActorRef, out var id)) DiscardUnfinishedEpisodes(id);
        });
        // Only from this learner's parent (the cluster's learner host): a forged one would drop a live node's episodes.
        Receive<WorkerNodeLost>(lost => Sender.Equals(Context.Parent), Forget);
        Receive<WorkerNodeLost>(lost => Refused($"WorkerNodeLost({lost.Address}) from {Sender.Path}, not from the learner's host"));
    }

    /// <summary>A control message from a sender that may not send it: changes nothing, logged once per kind.</summary>
    void Refused(string what)
    {
        if (_refusalsLogged.Add(what.Split(' ', 2)[0]))
            _log.Warning("ignoring {0}; further ones like it are ignored silently", what);
    }

    /// <summary>Unavailability signals in either state, and the retry that follows them.</summary>
    void ReceiveStoreFailures(Action retry)
    {
        Receive<PolicyStoreRestarting>(_ => StoreFailed("the store is restarting after a fault", RetryStore.Instance));
        Receive<StoreRequestTimedOut>(_ => StoreFailed($"no answer within {_settings.StoreRequestTimeout.TotalSeconds:0.#}s", RetryStore.Instance));
        Receive<Terminated>(t => t.ActorRef.Equals(_store), _ => StoreFailed("the policy store stopped", RetryStore.Instance));
        Receive<RetryStore>(_ => retry());
    }

    void AskStore(object request)
    {
        _store.Tell(request);
        Timers.StartSingleTimer(StoreRequestTimer, StoreRequestTimedOut.Instance, _settings.StoreRequestTimeout);
    }

    /// <summary>Counts a failed store request; logs at most once per interval; retries later or gives up.</summary>
    void StoreFailed(string cause, RetryStore retry)
    {
        Timers.Cancel(StoreRequestTimer);
        var now = DateTime.UtcNow;
        if (_outage.Failed(cause, now, out var began))
            _log.Warning("policy store unavailable for {0:F0}s ({1}); buffering {2} decisions, retrying every {3}s, giving up after {4}s",
                _outage.Length(now).TotalSeconds, cause, _bufferedDecisions, _settings.StoreRetryInterval.TotalSeconds, _settings.StoreUnavailableTimeout.TotalSeconds);
        if (began)
        {
            Context.System.EventStream.Publish(new PolicyStoreAvailability(false, cause, TimeSpan.Zero));
            Context.System.EventStream.Publish(Status());
        }
        if (_outage.Expired(now))
        {
            _log.Error("policy store unavailable for {0:F0}s, longer than store-unavailable-timeout: stopping ({1})", _outage.Length(now).TotalSeconds, cause);
            Context.System.EventStream.Publish(new PolicyStoreGaveUp(cause, _outage.Length(now),
                Math.Max(0, _episodes - _episodesStored), _committing?.Policy.Version ?? -1, _published?.Version ?? -1));
            Context.Stop(Self);
            return;
        }
        if (!Timers.IsTimerActive(StoreRetryTimer)) Timers.StartSingleTimer(StoreRetryTimer, retry, _settings.StoreRetryInterval);
    }

    void StoreAnswered()
    {
        Timers.Cancel(StoreRequestTimer);
        if (_outage.Available) return;
        var outage = _outage.Recovered(DateTime.UtcNow);
        _log.Warning("policy store available again after {0:F0}s", outage.TotalSeconds);
        Context.System.EventStream.Publish(new PolicyStoreAvailability(true, "", outage));
        Context.System.EventStream.Publish(Status());
    }

    /// <summary>
    /// The store answers again while a version waits: it was committed after all (the answer
    /// was lost), or it is sent again, under a new number if the store has moved past it (an
    /// event written without its weights): never published before the store confirms it.
    /// </summary>
    void Reconcile(StoredPolicies stored)
    {
        // A store that answers queries but fails every write is still unavailable: the outage
        // ends when the waiting version is committed, so store-unavailable-timeout applies to it.
        if (_committing is not { } pending)
        {
            StoreAnswered();
            return;
        }
        Timers.Cancel(StoreRequestTimer);
        if (stored.Latest is { } latest && latest.Version == pending.Policy.Version && latest.Checksum == pending.Policy.Checksum)
        {
            Publish(pending);
            return;
        }
        if (stored.LastVersionNumber >= pending.Policy.Version)
        {
            var renumbered = pending.Policy with { Version = stored.LastVersionNumber + 1 };
            _log.Warning("policy version {0} was not stored completely; committing it again as version {1}", pending.Policy.Version, renumbered.Version);
            _committing = pending = pending with { Policy = renumbered, Exploit = pending.Exploit is { } e ? e with { Version = renumbered.Version } : null };
            _nextVersion = renumbered.Version + 1;
        }
        SendCommit(pending);
    }

    /// <summary>
    /// A worker node was removed from the cluster (not merely unreachable for a moment): its
    /// environments will not finish their episodes, so what they buffered is discarded.
    /// </summary>
    void Forget(WorkerNodeLost lost)
    {
        var gone = _environments.Where(e => e.Key.Path.Address.ToString() == lost.Address).ToArray();
        foreach (var (actor, id) in gone)
        {
            _environments.Remove(actor);
            Context.Unwatch(actor);
            DiscardUnfinishedEpisodes(id);
        }
        foreach (var relay in _relays.Keys.Where(r => r.Path.Address.ToString() == lost.Address).ToArray())
        {
            _relays.Remove(relay);
            Context.Unwatch(relay);
        }
        if (_lostNodes.Add(lost.Address))
        {
            _lostNodeCount++;
            _log.Warning("worker node {0} lost ({1}): forgot {2} environments", lost.Address, lost.Reason, gone.Length);
        }
        Context.System.EventStream.Publish(lost);
        Context.System.EventStream.Publish(Status());
    }

    /// <summary>An environment stopped (scaled down, or its node is gone): its open episodes can no longer end.</summary>
    void DiscardUnfinishedEpisodes(string environmentId)
    {
        foreach (var key in _buffer.Keys.Where(k => k.Environment == environmentId).ToArray())
            if (!_buffer[key].Any(f => f.EndsEpisode)) DiscardEpisode(key);
    }

    void DiscardEpisode((string Environment, long Episode) key)
    {
        _discardedEpisodes.Add(key);
        if (!_buffer.Remove(key, out var fragments)) return;
        _discarded += fragments.Count;
        _bufferedDecisions -= fragments.Sum(f => f.Decisions.Count);
        _decisionsAccepted -= fragments.Sum(f => f.Decisions.Count);
    }

    void Register(RegisterEnvironment register)
    {
        _environments[Sender] = register.EnvironmentId;
        _supervisors.Add(Sender.Path.Parent);
        Context.Watch(Sender);
        if (_published is not null && !HasRelay(Sender.Path.Address)) Sender.Tell(_published);
    }

    void RegisterRelay(RegisterPolicyRelay register)
    {
        if (!_relays.TryGetValue(Sender, out var held))
        {
            Context.Watch(Sender);
            held = register.Version;
        }
        _relays[Sender] = held;
        if (_published is null || held >= _published.Version) return;
        Sender.Tell(_published);
        _relays[Sender] = _published.Version;
    }

    bool HasRelay(Address node) => _relays.Keys.Any(r => r.Path.Address.Equals(node));


    void Accept(TrajectoryFragment fragment)
    {
        // A restarted learner has forgotten its environments: their next fragment registers them again.
        if (!_environments.ContainsKey(Sender) && !Sender.IsNobody()) Register(new RegisterEnvironment(fragment.EnvironmentId));
        _fragments++;
        var ack = new FragmentAck(fragment.EnvironmentId, fragment.EpisodeId, fragment.Sequence);
        switch (_watermarks.Classify(fragment.EnvironmentId, fragment.EpisodeId, fragment.Sequence))
        {
            case FragmentOrder.Committed:
                _duplicates++;
                Sender.Tell(ack);
                return;
            case FragmentOrder.Consumed:
                _duplicates++; // acknowledged when the version it went into is committed
                return;
            case FragmentOrder.Gap:
                _refused++;
                Sender.Tell(new FragmentGap(fragment.EnvironmentId, fragment.EpisodeId, fragment.Sequence));
                return;
            case FragmentOrder.Full:
                _refused++;
                if (!_watermarksFullLogged)
                    _log.Warning("{0} environments remembered for exactly-once (watermark-environments), none forgettable yet: {1} is refused until one is", _watermarks.Count, fragment.EnvironmentId);
                _watermarksFullLogged = true;
                return;
        }
        // Acknowledgements waiting for the next commit are bounded too (fragments that are counted,
        // not buffered: stale, malformed, discarded ones), so a long outage cannot grow them.
        if (_bufferedDecisions + fragment.Decisions.Count > _settings.MaxBufferedDecisions || _pendingAcks.Count >= _settings.MaxBufferedDecisions)
        {
            _refused++;
            return;
        }

        _watermarks.Consume(fragment.EnvironmentId, fragment.EpisodeId, fragment.Sequence);
        _pendingAcks.Add((Sender, ack));
        if (_validator!.Problem(fragment, _published?.Version ?? -1) is { } problem)
        {
            _malformed++;
            if (_malformedLogged.Add(fragment.EnvironmentId))
                _log.Warning("malformed fragment from {0} (episode {1}, sequence {2}): {3}; further ones from it are only counted",
                    fragment.EnvironmentId, fragment.EpisodeId, fragment.Sequence, problem);
            return;
        }
        if (_discardedEpisodes.Contains((fragment.EnvironmentId, fragment.EpisodeId)))
        {
            _discarded++;
            return;
        }
        if ((_published is not null && _published.Version - fragment.PolicyVersion > _settings.MaxPolicyLag) || fragment.PolicyVersion < _exploitedAt)
        {
            _stale++;
            return;
        }

        if (!_sampling.IsRunning) _sampling.Start();
        var key = (fragment.EnvironmentId, fragment.EpisodeId);
        if (!_buffer.TryGetValue(key, out var fragments)) _buffer[key] = fragments = [];
        fragments.Add(fragment);
        _bufferedDecisions += fragment.Decisions.Count;
        _decisionsAccepted += fragment.Decisions.Count;
        UpdateWhenReady();
    }

    /// <summary>Scores the episode for "best" under the version that played it.</summary>
    void Summarise(EpisodeSummary summary)
    {
        _episodes++;
        _recentReturns.Enqueue(summary.Return);
        while (_recentReturns.Count > RecentEpisodes) _recentReturns.Dequeue();
        // Versions scored since the last commit are few (the acting versions); a sender naming many cannot grow the map.
        if (double.IsFinite(summary.FinalValidationLoss) && (_scoresSinceCommit.Count < RememberedItems || _scoresSinceCommit.ContainsKey(summary.PolicyVersion)))
        {
            var (sum, episodes) = _scoresSinceCommit.GetValueOrDefault(summary.PolicyVersion);
            _scoresSinceCommit[summary.PolicyVersion] = (sum + summary.FinalValidationLoss, episodes + 1);
        }
        Context.System.EventStream.Publish(summary);
    }

    /// <summary>An environment restarted: its broken episode's fragments must not train the policy.</summary>
    void Discard(EnvironmentFailed failed)
    {
        if (!_supervisors.Contains(Sender.Path))
        {
            Refused($"EnvironmentFailed({failed.EnvironmentId}, episode {failed.EpisodeId}) from {Sender.Path}, not a rollout supervisor of a registered environment");
            return;
        }
        DiscardEpisode((failed.EnvironmentId, failed.EpisodeId));
        Context.System.EventStream.Publish(failed);
    }

    void UpdateWhenReady()
    {
        if (_committing is not null || _bufferedDecisions < _settings.StepsPerUpdate) return;

        var batch = TrajectoryAssembler.Assemble(_buffer.Values);
        var episodes = _buffer.Values.Sum(fragments => fragments.Count(f => f.EndsEpisode));
        _decisionsUsed += _bufferedDecisions;
        _buffer.Clear();
        _bufferedDecisions = 0;

        var metrics = _agent!.Update(batch, _actingStatistics.Of);
        _updates++;
        Commit(metrics, episodes);
    }

    /// <summary>
    /// Continues from another controller's version (population-based training): its weights,
    /// statistics and Adam state with the explored hyperparameters, committed as this
    /// controller's next version. Buffered decisions were acted by the weights it replaces: they
    /// count as stale and are acknowledged with the new version; recent returns start over.
    /// </summary>
    void Exploit(ExploitFrom exploit, IActorRef replyTo)
    {
        var (copied, refusal) = PbtExploitation.Continue(exploit, _agent!);
        if (copied is null)
        {
            _log.Warning("cannot exploit controller {0} v{1}: {2}", exploit.Exploit.SourceController, exploit.Source.Version, refusal);
            replyTo.Tell(new ExploitRefused(_settings.Controller, refusal!));
            return;
        }
        var updates = _agent!.Updates;
        _agent.Dispose();
        _agent = copied;
        _stale += _buffer.Values.Sum(fragments => fragments.Count);
        _decisionsAccepted -= _bufferedDecisions;
        _bufferedDecisions = 0;
        _buffer.Clear();
        _recentReturns.Clear();
        _exploitedAt = _nextVersion;
        Commit(null, exploit: exploit.Exploit with
        {
            Controller = _settings.Controller, Updates = updates, Hyperparameters = new Dictionary<string, double>(exploit.Exploit.Hyperparameters),
        }, exploitReplyTo: replyTo);
    }

    /// <summary>Hands the agent's current weights to the store as the next version, with everything it accounts for.</summary>
    void Commit(PpoUpdateMetrics? metrics, int episodes = 0, PopulationExploit? exploit = null, IActorRef? exploitReplyTo = null)
    {
        var blob = _agent!.ToBlob();
        var policy = new PolicyVersion(_nextVersion++, blob, PolicyChecksum.Of(blob), _settings.Controller);
        _actingStatistics.Remember(policy.Version, _agent.ObservationStatistics);
        var scores = _scoresSinceCommit.Select(s => new VersionScore(s.Key, s.Value.Sum, s.Value.Episodes)).ToArray();
        _scoresSinceCommit.Clear();
        _committing = new PendingCommit(policy, metrics, _watermarks.Consumed(), scores, _pendingAcks.ToArray(), episodes,
            PbtHyperparameters.Of(_agent.Settings), exploit is null ? null : exploit with { Version = policy.Version }, exploitReplyTo);
        _pendingAcks.Clear();
        SendCommit(_committing);
    }

    void SendCommit(PendingCommit pending) =>
        AskStore(new CommitPolicy(pending.Policy, double.NaN, MetricsOf(pending.Metrics), pending.Watermarks, pending.Scores, pending.Exploit));

    /// <summary>The store has the version: acknowledge what it used, and now environments may act with it.</summary>
    void Publish(PendingCommit committed)
    {
        StoreAnswered();
        _committing = null;
        _episodesStored += committed.Episodes;
        _watermarks.Committed(committed.Watermarks);
        foreach (var (environment, ack) in committed.Acks) environment.Tell(ack);
        _published = committed.Policy;
        _publishedHyperparameters = committed.Hyperparameters;
        foreach (var relay in _relays.Keys.ToArray())
        {
            relay.Tell(_published);
            _relays[relay] = _published.Version;
        }
        var relayed = _relays.Keys.Select(r => r.Path.Address).ToHashSet();
        foreach (var environment in _environments.Keys.Where(e => !relayed.Contains(e.Path.Address))) environment.Tell(_published);
        Context.System.EventStream.Publish(new PolicyPublished(
            _published.Version, committed.Metrics?.Decisions ?? 0, committed.Metrics?.Seconds ?? 0, MetricsOf(committed.Metrics),
            committed.Episodes, _settings.Controller));
        Context.System.EventStream.Publish(Status());
        if (committed.Exploit is { } exploit) committed.ExploitReplyTo?.Tell(new Exploited(exploit));
        if (_deferredExploit is { } deferred)
        {
            _deferredExploit = null;
            Exploit(deferred.Exploit, deferred.ReplyTo);
        }
        UpdateWhenReady();
    }

    static IReadOnlyDictionary<string, double> MetricsOf(PpoUpdateMetrics? m) => m is null
        ? new Dictionary<string, double>()
        : new Dictionary<string, double>
        {
            ["losses/policy_loss"] = m.PolicyLoss,
            ["losses/value_loss"] = m.ValueLoss,
            ["losses/entropy"] = m.Entropy,
            ["losses/approx_kl"] = m.ApproxKl,
            ["losses/clipfrac"] = m.ClipFraction,
            ["losses/explained_variance"] = m.ExplainedVariance,
        };

    LearnerStatus Status() => new(
        _published?.Version ?? -1,
        _updates,
        _sampling.Elapsed.TotalSeconds > 0 ? _decisionsAccepted / _sampling.Elapsed.TotalSeconds : 0,
        _environments.Count,
        _recentReturns.ToArray(),
        _episodes,
        _fragments,
        _decisionsUsed,
        _bufferedDecisions,
        _stale,
        _duplicates,
        _discarded,
        _lostNodeCount,
        _malformed,
        _refused,
        _outage.Available ? LearnerStatus.StoreAvailable : LearnerStatus.StoreUnavailable,
        _settings.Controller,
        Variant: _settings.Variant,
        Hyperparameters: _agent is null ? "" : PbtHyperparameters.Format(PbtHyperparameters.Of(_agent.Settings)));
}
