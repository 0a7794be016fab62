using Akka.Actor;
using Akka.Event;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Parent of the environment actors. A failing rollout (an exception from the environment,
/// the policy or an injected fault) stops that environment actor; the supervisor tells the
/// learner to discard the broken episode (<see cref="EnvironmentFailed"/>) and starts a fresh
/// incarnation after an exponential backoff (backoff-min doubling up to backoff-max). More
/// than <see cref="ActorSettings.MaxRestarts"/> failures within <see cref="ActorSettings.RestartWindow"/>
/// stop that environment for good (<see cref="EnvironmentStopped"/>); training goes on with
/// the others. <see cref="ScaleEnvironments"/> changes the number of environments at run time.
/// Its child <c>policy-relay</c> (<see cref="PolicyRelay"/>, unless
/// <see cref="ActorSettings.PolicyRelay"/> is off) gets each policy version once for the node
/// and hands it to the environments.
/// </summary>
public sealed class RolloutSupervisor : ReceiveActor, IWithTimers
{
    sealed record RestartEnvironment(int Index);

    /// <summary>One environment position: its current actor (if running) and its failure history.</summary>
    sealed class Slot(int index, string idPrefix)
    {
        public int Index { get; } = index;
        /// <summary>Unique in the cluster: the prefix names the worker node (empty on one node).</summary>
        public string Id => $"{idPrefix}env-{Index}";
        public IActorRef? Actor { get; set; }
        public bool Retiring { get; set; }
        public bool Stopped { get; set; }
        public (long Episode, string Reason)? Failure { get; set; }
        public List<DateTime> Failures { get; } = [];
    }

    readonly ActorSettings _settings;
    readonly Func<int, ILearningEnvironment> _factory;
    readonly IActorRef _learner;
    IActorRef? _relay;
    readonly ILoggingAdapter _log = Context.GetLogger();
    readonly Dictionary<int, Slot> _slots = [];
    readonly Dictionary<IActorRef, Slot> _byActor = [];
    /// <summary>Incarnations per index survive scaling down, so episode ids stay unique.</summary>
    readonly Dictionary<int, int> _incarnations = [];
    int _restarts;
    bool _clampLogged;

    public RolloutSupervisor(ActorSettings settings, Func<int, ILearningEnvironment> factory, IActorRef learner)
    {
        _settings = settings;
        _factory = factory;
        _learner = learner;

        Receive<ScaleEnvironments>(scale => Scale(Clamped(scale.Count)));
        Receive<Terminated>(terminated => OnTerminated(terminated.ActorRef));
        Receive<RestartEnvironment>(restart =>
        {
            if (_slots.TryGetValue(restart.Index, out var slot) && slot.Actor is null && !slot.Stopped) Start(slot);
        });
        Receive<GetRolloutStatus>(_ => Sender.Tell(new RolloutStatus(
            _slots.Values.Where(s => s.Actor is not null && !s.Retiring).Select(s => s.Id).Order().ToArray(),
            _slots.Values.Where(s => s.Actor is null && !s.Stopped).Select(s => s.Id).Order().ToArray(),
            _slots.Values.Where(s => s.Stopped).Select(s => s.Id).Order().ToArray(),
            _restarts)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ActorSettings settings, Func<int, ILearningEnvironment> factory, IActorRef learner) =>
        Akka.Actor.Props.Create(() => new RolloutSupervisor(settings, factory, learner));

    protected override void PreStart()
    {
        if (_settings.PolicyRelay) _relay = Context.ActorOf(PolicyRelay.Props(_settings, _learner), "policy-relay");
        Scale(_settings.Environments);
    }

    /// <summary>Any failure stops the child; <see cref="OnTerminated"/> decides whether and when it comes back.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(exception =>
    {
        var (id, episode) = exception switch
        {
            RolloutException rollout => (rollout.EnvironmentId, rollout.EpisodeId),
            ActorInitializationException init when init.Actor is not null => (EnvironmentIdOf(init.Actor), -1L),
            _ => ((string?)null, -1L),
        };
        var slot = _slots.Values.FirstOrDefault(s => s.Id == id);
        if (slot is not null) slot.Failure = (episode, (exception.InnerException ?? exception).Message);
        return Directive.Stop;
    });

    string? EnvironmentIdOf(IActorRef actor) => _byActor.TryGetValue(actor, out var slot) ? slot.Id : null;

    /// <summary>At most max-environments, whoever asks: each environment is a thread and a child network.</summary>
    int Clamped(int count)
    {
        if (count <= _settings.MaxEnvironments) return count;
        if (!_clampLogged)
            _log.Warning("scale request for {0} environments from {1} clamped to max-environments = {2}; further ones are clamped silently", count, Sender.Path, _settings.MaxEnvironments);
        _clampLogged = true;
        return _settings.MaxEnvironments;
    }

    void Scale(int count)
    {
        if (count < 0) count = 0;
        for (var index = 0; index < count; index++)
        {
            if (_slots.ContainsKey(index)) continue;
            var slot = new Slot(index, _settings.EnvironmentIdPrefix);
            _slots[index] = slot;
            Start(slot);
        }
        foreach (var slot in _slots.Values.Where(s => s.Index >= count).ToArray())
        {
            if (slot.Actor is { } actor)
            {
                slot.Retiring = true;
                Context.Stop(actor);
            }
            else
            {
                _slots.Remove(slot.Index);
            }
        }
    }

    void Start(Slot slot)
    {
        var incarnation = _incarnations.GetValueOrDefault(slot.Index);
        _incarnations[slot.Index] = incarnation + 1;
        var actor = Context.ActorOf(
            EnvironmentActor.Props(slot.Id, slot.Index, incarnation, _settings, _factory, _learner, _relay),
            $"env-{slot.Index}-{incarnation}");
        Context.Watch(actor);
        slot.Actor = actor;
        slot.Failure = null;
        _byActor[actor] = slot;
    }

    void OnTerminated(IActorRef actor)
    {
        if (!_byActor.Remove(actor, out var slot)) return;
        slot.Actor = null;
        if (slot.Retiring)
        {
            if (_slots.TryGetValue(slot.Index, out var current) && current == slot) _slots.Remove(slot.Index);
            return;
        }

        var (episode, reason) = slot.Failure ?? (-1L, "stopped unexpectedly");
        var now = DateTime.UtcNow;
        slot.Failures.Add(now);
        slot.Failures.RemoveAll(t => now - t > _settings.RestartWindow);
        _learner.Tell(new EnvironmentFailed(slot.Id, episode, reason));

        if (slot.Failures.Count > _settings.MaxRestarts)
        {
            slot.Stopped = true;
            _log.Warning("{0} failed {1} times within {2}; stopped for good: {3}", slot.Id, slot.Failures.Count, _settings.RestartWindow, reason);
            _learner.Tell(new EnvironmentStopped(slot.Id, slot.Failures.Count, reason));
            return;
        }

        var delay = Backoff(slot.Failures.Count);
        _restarts++;
        _log.Warning("{0} failed in episode {1} ({2}); restarting in {3}", slot.Id, episode, reason, delay);
        Timers.StartSingleTimer(("restart", slot.Index), new RestartEnvironment(slot.Index), delay);
    }

    /// <summary>backoff-min · 2^(failures − 1), at most backoff-max.</summary>
    TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(30, failures - 1));
        var ticks = Math.Min(_settings.BackoffMax.Ticks, _settings.BackoffMin.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }
}
