using Akka.Actor;
using Akka.Event;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Samples one <see cref="ILearningEnvironment"/> with the newest policy it has received.
/// One decision per message (<see cref="Decide"/> to Self), so between decisions the actor
/// answers <see cref="GetStatus"/>, takes new <see cref="PolicyVersion"/>s and acknowledgements.
/// Every <see cref="ActorSettings.FragmentDecisions"/> decisions, and at an episode's end, it
/// sends a <see cref="TrajectoryFragment"/> to the learner (bootstrapped by the critic when cut
/// mid-episode), resending unacknowledged fragments after <see cref="ActorSettings.AckTimeout"/>
/// (the learner acknowledges a fragment once the version trained on it is committed), or at
/// once when the learner reports a <see cref="FragmentGap"/> (e.g. after it restarted).
/// Runs on its own pinned thread (<see cref="ActorSettings.EnvironmentDispatcher"/>).
/// Policies come from its node's <see cref="PolicyRelay"/> when it has one (it registers
/// through the relay), otherwise from the learner; either way it checks each checksum.
/// <para>
/// In a population of controllers it keeps every controller's newest version, acts with the
/// one it is assigned to (<see cref="AssignController"/>, taking effect at its next episode, so
/// an episode never mixes controllers) and stamps that controller on its fragments and summaries.
/// </para>
/// <para>
/// Seeds, RLlib style: actions are sampled with <c>seed + index</c> (plus a large stride per
/// restart, so a restarted environment does not replay the same samples); episode ids are
/// <c>incarnation &lt;&lt; 32 | episode number</c>, unique across restarts.
/// </para>
/// </summary>
public sealed class EnvironmentActor : ReceiveActor, IWithTimers
{
    sealed record Decide
    {
        public static readonly Decide Instance = new();
    }

    sealed record ResendUnacknowledged
    {
        public static readonly ResendUnacknowledged Instance = new();
    }

    readonly string _id;
    readonly int _index;
    readonly int _incarnation;
    readonly ActorSettings _settings;
    readonly Func<int, ILearningEnvironment> _factory;
    readonly IActorRef _learner;
    readonly IActorRef? _relay;
    readonly ILoggingAdapter _log = Context.GetLogger();
    readonly Random _random;

    ILearningEnvironment? _environment;
    PpoAgent? _agent;
    long _policyVersion = -1;
    /// <summary>The controller whose policy plays the current episode, and the one assigned for the next.</summary>
    int _controller, _assigned;
    readonly Dictionary<int, PolicyVersion> _newest = [];
    bool _deciding;
    string? _fault;

    long _episodeNumber = -1;
    long _episodeId = -1;
    float[]? _observation;
    int _decisionsInEpisode;
    double _return;
    IReadOnlyDictionary<string, double> _lastInfo = new Dictionary<string, double>();
    long _episodesCompleted;

    readonly List<DecisionRecord> _pending = [];
    long _pendingPolicyVersion;
    // The episode's running discounted return of raw rewards (VecNormalize's), and its value before the pending fragment.
    double _discountedReturn, _pendingReturnBefore;
    int _sequence;
    readonly UnacknowledgedFragments _unacknowledged;
    readonly PolicySource _policySource;
    bool _faultRefusalLogged;
    DateTime _lastGapResend = DateTime.MinValue;
    bool _pausedLogged;

    public EnvironmentActor(string id, int index, int incarnation, ActorSettings settings, Func<int, ILearningEnvironment> factory, IActorRef learner, IActorRef? relay = null)
    {
        _id = id;
        _index = index;
        _incarnation = incarnation;
        _settings = settings;
        _factory = factory;
        _learner = learner;
        _relay = relay;
        _random = new Random(unchecked(settings.EnvironmentSeed + index + incarnation * 1_000_003));
        _unacknowledged = new UnacknowledgedFragments(settings.MaxUnackedFragments);
        _policySource = new PolicySource(learner, relay);

        Receive<PolicyVersion>(Adopt);
        Receive<Decide>(_ => DecideOnce());
        Receive<FragmentAck>(ack =>
        {
            if (_unacknowledged.Acknowledged(ack.EpisodeId, ack.Sequence)) ResumeSampling();
        });
        Receive<ResendUnacknowledged>(_ => Resend());
        Receive<FragmentGap>(ResendAfterGap);
        Receive<GetStatus>(_ => Sender.Tell(new EnvironmentStatus(_id, _episodeId, _decisionsInEpisode, _policyVersion, _episodesCompleted, _unacknowledged.Count)));
        Receive<InjectFault>(fault =>
        {
            if (_settings.AllowFaultInjection) _fault = fault.Reason;
            else if (!_faultRefusalLogged)
            {
                _faultRefusalLogged = true;
                _log.Warning("{0}: ignoring InjectFault from {1} (allow-fault-injection is off); further ones are ignored silently", _id, Sender.Path);
            }
        });
        Receive<AssignController>(Assign);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string id, int index, int incarnation, ActorSettings settings, Func<int, ILearningEnvironment> factory, IActorRef learner, IActorRef? relay = null) =>
        Akka.Actor.Props.Create(() => new EnvironmentActor(id, index, incarnation, settings, factory, learner, relay))
            .WithDispatcher(settings.EnvironmentDispatcher);

    protected override void PreStart()
    {
        _environment = _factory(_index);
        // Through the relay, which passes it on: the learner then knows this node's relay first.
        (_relay ?? _learner).Tell(new RegisterEnvironment(_id));
        Timers.StartPeriodicTimer("resend", ResendUnacknowledged.Instance, _settings.AckTimeout);
    }

    protected override void PostStop()
    {
        _agent?.Dispose();
        _environment?.Dispose();
    }

    void Adopt(PolicyVersion policy)
    {
        var current = _newest.TryGetValue(policy.Controller, out var held) ? held.Version : -1;
        if (held is not null && policy.Version <= current) return;
        if (_policySource.Refusal(policy, current, Sender, out var log) is { } refusal)
        {
            if (log) _log.Warning("{0}: ignoring {1}; further ones like it are ignored silently", _id, refusal);
            return;
        }
        if (!PolicyChecksum.Matches(policy.Blob, policy.Checksum))
        {
            _log.Warning("{0}: ignoring policy version {1}, its checksum does not match", _id, policy.Version);
            return;
        }
        _newest[policy.Controller] = policy;
        if (policy.Controller == _controller) Load(policy);
    }

    /// <summary>Only the population (the learner) assigns a controller, and only one a population can have.</summary>
    void Assign(AssignController assign)
    {
        if (_policySource.AssignmentRefusal(assign, Sender, out var log) is { } refusal)
        {
            if (log) _log.Warning("{0}: ignoring {1}; further ones like it are ignored silently", _id, refusal);
            return;
        }
        _assigned = assign.Controller;
    }

    void Load(PolicyVersion policy)
    {
        var agent = PpoAgent.FromBlob(policy.Blob);
        // A fragment carries one acting version, and the learner normalises all of its decisions
        // with that version's statistics: cut the pending decisions here, bootstrapped by the
        // version that took them, so that no fragment mixes two versions.
        if (_pending.Count > 0 && _observation is not null) SendFragment(_agent!.Value(_observation), endsEpisode: false);
        _agent?.Dispose();
        _agent = agent;
        _policyVersion = policy.Version;
        Context.System.EventStream.Publish(new PolicyAdopted(_id, policy.Version));
        if (!_deciding)
        {
            _deciding = true;
            Self.Tell(Decide.Instance);
        }
    }

    void DecideOnce()
    {
        if (_unacknowledged.Full)
        {
            // Paused until an acknowledgement makes room (ResumeSampling): memory stays flat however long the learner cannot commit.
            _deciding = false;
            if (!_pausedLogged)
                _log.Warning("{0}: {1} fragments unacknowledged (max-unacked-fragments): sampling paused until the learner acknowledges some", _id, _unacknowledged.Count);
            _pausedLogged = true;
            return;
        }
        try
        {
            if (_fault is { } fault) throw new InvalidOperationException($"injected fault: {fault}");
            if (_observation is null && _assigned != _controller && !SwitchController())
            {
                _deciding = false; // until the assigned controller's first version arrives
                return;
            }
            if (_observation is null) StartEpisode();

            var decision = _agent!.Act(_observation!, deterministic: false, _random);
            var step = _environment!.Step(decision.Action);
            if (_pending.Count == 0) (_pendingPolicyVersion, _pendingReturnBefore) = (_policyVersion, _discountedReturn);
            _discountedReturn = _discountedReturn * _agent.Settings.Gamma + step.Reward;
            _pending.Add(new DecisionRecord(_observation!, decision.Action, decision.LogProb, decision.Value, step.Reward, step.Done));
            _decisionsInEpisode++;
            _return += step.Reward;
            _lastInfo = step.Info;
            _observation = step.Observation;
            Context.System.EventStream.Publish(new DecisionTaken(_id, _episodeId, _decisionsInEpisode, step.Info.GetValueOrDefault("lr", double.NaN), step.Info.GetValueOrDefault("train_loss", double.NaN), step.Info.GetValueOrDefault("val_loss", double.NaN), _controller));

            if (step.Done) EndEpisode();
            else if (_pending.Count >= _settings.FragmentDecisions) SendFragment(_agent.Value(_observation), endsEpisode: false);
        }
        catch (Exception e) when (e is not RolloutException)
        {
            throw new RolloutException(_id, _episodeId, e.Message, e);
        }
        Self.Tell(Decide.Instance);
    }

    /// <summary>Between episodes: act with the assigned controller's newest version; false while none has arrived.</summary>
    bool SwitchController()
    {
        _controller = _assigned;
        if (_newest.TryGetValue(_controller, out var policy))
        {
            Load(policy);
            return true;
        }
        _agent?.Dispose();
        _agent = null;
        _policyVersion = -1;
        return false;
    }

    void StartEpisode()
    {
        // A population's controllers may differ in what they observe and how they act (variants): play as this policy's spec says.
        if (_environment is IControllerBoundEnvironment bound && _agent?.Spec is { } spec && bound.Spec != spec) bound.Bind(spec);
        _episodeNumber++;
        _episodeId = ((long)_incarnation << 32) | _episodeNumber;
        var seed = unchecked(_settings.EnvironmentSeed + _index * 100_003 + _incarnation * 7_919 + (int)_episodeNumber);
        _observation = _environment!.Reset(seed);
        _decisionsInEpisode = 0;
        _return = 0;
        _discountedReturn = 0;
        _sequence = 0;
        _pending.Clear();
    }

    void EndEpisode()
    {
        SendFragment(0f, endsEpisode: true);
        _episodesCompleted++;
        _learner.Tell(new EpisodeSummary(
            _id, _episodeId, _policyVersion, _return, _decisionsInEpisode,
            _lastInfo.GetValueOrDefault("val_loss", double.NaN),
            _lastInfo.GetValueOrDefault("lr", double.NaN),
            _lastInfo.GetValueOrDefault("diverged", 0) >= 0.5,
            _controller));
        _observation = null;
    }

    void SendFragment(float bootstrapValue, bool endsEpisode)
    {
        var fragment = new TrajectoryFragment(_id, _episodeId, _sequence++, _pendingPolicyVersion, _pending.ToArray(), bootstrapValue, endsEpisode, _pendingReturnBefore, _controller);
        _pending.Clear();
        _unacknowledged.Sent(fragment, DateTime.UtcNow);
        _learner.Tell(fragment);
    }

    /// <summary>
    /// The learner misses an earlier fragment (it restarted, or one is still on its way): send
    /// every unacknowledged fragment again now rather than after ack-timeout. At most once per
    /// tenth of ack-timeout, since every later fragment of the same gap is refused too.
    /// </summary>
    void ResendAfterGap(FragmentGap gap)
    {
        if (LearnerForgot(gap)) AbandonEpisode(gap.EpisodeId);
        var now = DateTime.UtcNow;
        if (now - _lastGapResend < _settings.AckTimeout / 10) return;
        _lastGapResend = now;
        foreach (var fragment in _unacknowledged.Resend(DateTime.MaxValue, now)) _learner.Tell(fragment);
    }

    /// <summary>
    /// The learner refused a fragment mid-episode whose predecessors it acknowledged (they are
    /// in a committed version): it has since forgotten this environment's watermark, so the
    /// rest of the episode can never be placed (nothing earlier can be sent again).
    /// </summary>
    bool LearnerForgot(FragmentGap gap) =>
        gap.Sequence > 0 && _unacknowledged.Contains(gap.EpisodeId, gap.Sequence) && !_unacknowledged.HasEarlier(gap.EpisodeId, gap.Sequence);

    /// <summary>Drops what is left of the episode and starts a new one with the next decision (whose fragments start at sequence 0).</summary>
    void AbandonEpisode(long episode)
    {
        _unacknowledged.DropEpisode(episode);
        ResumeSampling();
        _log.Warning("{0}: the learner no longer knows episode {1}'s start (it forgot this environment); abandoning the rest of it", _id, episode);
        if (episode != _episodeId || _observation is null) return;
        _observation = null;
        _pending.Clear();
    }

    void Resend()
    {
        var now = DateTime.UtcNow;
        foreach (var fragment in _unacknowledged.Resend(now - _settings.AckTimeout, now)) _learner.Tell(fragment);
    }

    /// <summary>Sampling paused on a full buffer goes on once there is room (and a policy to act with).</summary>
    void ResumeSampling()
    {
        if (_deciding || _agent is null || _unacknowledged.Full) return;
        _deciding = true;
        Self.Tell(Decide.Instance);
    }
}
