using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Alrs.Learning.Ppo;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Owns the learning PpoAgent. Aggregates trajectory fragments from any number of environment
/// actors, runs a PPO update whenever it holds <see cref="ActorSettings.StepsPerUpdate"/>
/// decisions, commits the new version to the <see cref="PolicyStore"/> and, once the store
/// confirmed it, publishes it: once to every node's <see cref="PolicyRelay"/>, and directly to
/// registered environments on nodes without one.
/// <para>
/// The update runs inline (tens of ms on CPU) on the learner's own pinned dispatcher: fragments
/// arriving meanwhile wait in the mailbox, and nothing else shares that thread. Only one
/// version is in flight to the store at a time; fragments keep being buffered meanwhile, and
/// an update uses every buffered decision (at least steps-per-update).
/// </para>
/// <para>
/// Every fragment is acknowledged and counted exactly once: as a duplicate (same environment,
/// episode and sequence seen before), as discarded (its episode failed), as stale (sampled
/// with a policy more than <see cref="ActorSettings.MaxPolicyLag"/> versions older than the
/// newest published one) or as used. The set of seen fragment keys grows by one small entry
/// per fragment (tens of thousands in a long run).
/// </para>
/// </summary>
public sealed class LearnerActor : ReceiveActor, IWithUnboundedStash
{
    const int RecentEpisodes = 20;

    readonly ActorSettings _settings;
    readonly Func<PpoAgent> _createAgent;
    readonly IActorRef _store;
    readonly ILoggingAdapter _log = Context.GetLogger();

    PpoAgent? _agent;
    readonly ActingStatistics _actingStatistics;
    PolicyVersion? _published;
    long _nextVersion;
    (PolicyVersion Policy, PpoUpdateMetrics? Metrics)? _committing;

    readonly Dictionary<IActorRef, string> _environments = [];
    /// <summary>Each node's policy relay and the newest version it holds or was sent.</summary>
    readonly Dictionary<IActorRef, long> _relays = [];
    readonly HashSet<string> _lostNodes = [];
    readonly HashSet<(string Environment, long Episode, int Sequence)> _seen = [];
    readonly HashSet<(string Environment, long Episode)> _discardedEpisodes = [];
    readonly Dictionary<(string Environment, long Episode), List<TrajectoryFragment>> _buffer = [];
    int _bufferedDecisions;

    readonly Queue<double> _recentReturns = new();
    readonly List<double> _validationLossesSinceCommit = [];
    readonly Stopwatch _sampling = new();
    long _updates, _episodes, _fragments, _decisionsAccepted, _decisionsUsed, _stale, _duplicates, _discarded;

    public LearnerActor(ActorSettings settings, Func<PpoAgent> createAgent, IActorRef store)
    {
        _settings = settings;
        _createAgent = createAgent;
        _store = store;
        // The published version and those still accepted as not stale.
        _actingStatistics = new ActingStatistics(settings.MaxPolicyLag + 2);
        Starting();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(ActorSettings settings, Func<PpoAgent> createAgent, IActorRef store) =>
        Akka.Actor.Props.Create(() => new LearnerActor(settings, createAgent, store)).WithDispatcher(settings.LearnerDispatcher);

    protected override void PreStart()
    {
        Context.Watch(_store);
        _store.Tell(GetStoredPolicies.Instance);
    }

    protected override void PostStop() => _agent?.Dispose();

    /// <summary>Waits for the store's recovery: continue from its latest version, or start version 0.</summary>
    void Starting()
    {
        Receive<StoredPolicies>(stored =>
        {
            if (stored.Latest is { } latest)
            {
                if (!PolicyChecksum.Matches(latest.Blob, latest.Checksum))
                    throw new InvalidOperationException($"stored policy version {latest.Version} does not match its checksum");
                _agent = PpoAgent.FromBlob(latest.Blob);
                _actingStatistics.Remember(latest.Version, _agent.ObservationStatistics);
                _published = latest;
                _nextVersion = Math.Max(stored.LastVersionNumber, latest.Version) + 1;
                _log.Info("continuing from stored policy version {0}", latest.Version);
                Become(Training);
                Stash.UnstashAll();
                Context.System.EventStream.Publish(Status());
            }
            else
            {
                // Fresh start (version 0), or a store whose versions lost their weights: new numbers anyway.
                _agent = _createAgent();
                _nextVersion = stored.LastVersionNumber + 1;
                Become(Training);
                Stash.UnstashAll();
                Commit(null);
            }
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_store), (Action<Terminated>)(_ => throw new InvalidOperationException("the policy store stopped")));
        ReceiveAny(_ => Stash.Stash());
    }

    void Training()
    {
        Receive<RegisterEnvironment>(Register);
        Receive<RegisterPolicyRelay>(RegisterRelay);
        Receive<TrajectoryFragment>(Accept);
        Receive<EpisodeSummary>(Summarise);
        Receive<EnvironmentFailed>(Discard);
        Receive<EnvironmentStopped>(stopped =>
        {
            _log.Warning("environment {0} stopped after {1} failures: {2}", stopped.EnvironmentId, stopped.Failures, stopped.Reason);
            Context.System.EventStream.Publish(stopped);
        });
        Receive<PolicyCommitted>(Publish);
        Receive<PolicyCommitFailed>(failed => throw new InvalidOperationException($"policy version {failed.Version} could not be stored: {failed.Reason}"));
        Receive<GetLearnerStatus>(_ => Sender.Tell(Status()));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_store)) throw new InvalidOperationException("the policy store stopped");
            if (_relays.Remove(t.ActorRef)) return;
            if (_environments.Remove(t.ActorRef, out var id)) DiscardUnfinishedEpisodes(id);
        });
        Receive<WorkerNodeLost>(Forget);
    }

    /// <summary>
    /// A worker node is gone: its environments will not finish their episodes, so what they
    /// buffered is discarded (and so is anything of those episodes still in flight).
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
            _log.Warning("worker node {0} lost ({1}): forgot {2} environments", lost.Address, lost.Reason, gone.Length);
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
        Sender.Tell(new FragmentAck(fragment.EnvironmentId, fragment.EpisodeId, fragment.Sequence));
        if (!_seen.Add((fragment.EnvironmentId, fragment.EpisodeId, fragment.Sequence)))
        {
            _duplicates++;
            return;
        }
        if (_discardedEpisodes.Contains((fragment.EnvironmentId, fragment.EpisodeId)))
        {
            _discarded++;
            return;
        }
        if (_published is not null && _published.Version - fragment.PolicyVersion > _settings.MaxPolicyLag)
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

    void Summarise(EpisodeSummary summary)
    {
        _episodes++;
        _recentReturns.Enqueue(summary.Return);
        while (_recentReturns.Count > RecentEpisodes) _recentReturns.Dequeue();
        if (double.IsFinite(summary.FinalValidationLoss)) _validationLossesSinceCommit.Add(summary.FinalValidationLoss);
        Context.System.EventStream.Publish(summary);
    }

    /// <summary>An environment restarted: its broken episode's fragments must not train the policy.</summary>
    void Discard(EnvironmentFailed failed)
    {
        DiscardEpisode((failed.EnvironmentId, failed.EpisodeId));
        Context.System.EventStream.Publish(failed);
    }

    void UpdateWhenReady()
    {
        if (_committing is not null || _bufferedDecisions < _settings.StepsPerUpdate) return;

        var batch = TrajectoryAssembler.Assemble(_buffer.Values);
        _decisionsUsed += _bufferedDecisions;
        _buffer.Clear();
        _bufferedDecisions = 0;

        var metrics = _agent!.Update(batch, _actingStatistics.Of);
        _updates++;
        Commit(metrics);
    }

    /// <summary>Hands the agent's current weights to the store as the next version.</summary>
    void Commit(PpoUpdateMetrics? metrics)
    {
        var blob = _agent!.ToBlob();
        var policy = new PolicyVersion(_nextVersion++, blob, PolicyChecksum.Of(blob));
        _actingStatistics.Remember(policy.Version, _agent.ObservationStatistics);
        var validationLoss = _validationLossesSinceCommit.Count > 0 ? _validationLossesSinceCommit.Average() : double.NaN;
        _validationLossesSinceCommit.Clear();
        _committing = (policy, metrics);
        _store.Tell(new CommitPolicy(policy, validationLoss, MetricsOf(metrics)));
    }

    /// <summary>The store has the version: now environments may act with it.</summary>
    void Publish(PolicyCommitted committed)
    {
        if (_committing is not { } committing || committing.Policy.Version != committed.Version) return;
        _committing = null;
        _published = committing.Policy;
        foreach (var relay in _relays.Keys.ToArray())
        {
            relay.Tell(_published);
            _relays[relay] = _published.Version;
        }
        var relayed = _relays.Keys.Select(r => r.Path.Address).ToHashSet();
        foreach (var environment in _environments.Keys.Where(e => !relayed.Contains(e.Path.Address))) environment.Tell(_published);
        Context.System.EventStream.Publish(new PolicyPublished(
            _published.Version, committing.Metrics?.Decisions ?? 0, committing.Metrics?.Seconds ?? 0, MetricsOf(committing.Metrics)));
        Context.System.EventStream.Publish(Status());
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
        _lostNodes.Count);
}
