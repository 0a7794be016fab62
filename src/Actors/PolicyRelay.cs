using Akka.Actor;
using Akka.Event;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// The node-local end of the policy fan-out, a child of the <see cref="RolloutSupervisor"/>.
/// Handles <see cref="RegisterEnvironment"/> from this node's environment actors (remembers
/// them, answers with the current version, passes the registration on to the learner with
/// the environment as sender), <see cref="PolicyVersion"/> from the learner (keeps the newest,
/// hands it to every registered environment: one copy crosses the wire per node) and
/// <see cref="Terminated"/> of an environment.
/// <para>
/// The relay checks a version's checksum before keeping it, so a corrupted copy is not held
/// as current (its next <see cref="RegisterPolicyRelay"/> asks the learner again); each
/// environment still checks the checksum itself. It registers with the learner at start and
/// every <see cref="ActorSettings.RelayRefresh"/>, so a learner that restarted or moved to
/// another node finds it.
/// </para>
/// <para>
/// In a population it keeps the newest version of every controller (each numbers its own) and
/// hands a registering environment all of them; its registration names the newest it holds of each.
/// </para>
/// </summary>
public sealed class PolicyRelay : ReceiveActor, IWithTimers
{
    sealed record Refresh
    {
        public static readonly Refresh Instance = new();
    }

    readonly ActorSettings _settings;
    readonly IActorRef _learner;
    readonly ILoggingAdapter _log = Context.GetLogger();
    readonly HashSet<IActorRef> _environments = [];
    /// <summary>The newest version held of each controller (only controller 0 without a population).</summary>
    readonly SortedDictionary<int, PolicyVersion> _current = [];
    readonly PolicySource _source;

    public PolicyRelay(ActorSettings settings, IActorRef learner)
    {
        _settings = settings;
        _learner = learner;
        _source = new PolicySource(learner);

        Receive<RegisterEnvironment>(register =>
        {
            if (_environments.Add(Sender)) Context.Watch(Sender);
            foreach (var policy in _current.Values) Sender.Tell(policy);
            _learner.Forward(register);
        });
        Receive<PolicyVersion>(Relay);
        Receive<Terminated>(terminated => _environments.Remove(terminated.ActorRef));
        Receive<Refresh>(_ => RegisterWithLearner());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        RegisterWithLearner();
        Timers.StartPeriodicTimer("refresh", Refresh.Instance, _settings.RelayRefresh);
    }

    void RegisterWithLearner()
    {
        long Held(int controller) => _current.TryGetValue(controller, out var policy) ? policy.Version : -1;
        var controllers = _current.Count == 0 ? 0 : _current.Keys.Max() + 1;
        _learner.Tell(new RegisterPolicyRelay(Held(0), controllers > 1 ? Enumerable.Range(0, controllers).Select(Held).ToArray() : null));
    }

    void Relay(PolicyVersion policy)
    {
        var current = _current.TryGetValue(policy.Controller, out var held) ? held.Version : -1;
        if (held is not null && policy.Version <= current) return;
        if (_source.Refusal(policy, current, Sender, out var log) is { } refusal)
        {
            if (log) _log.Warning("policy relay: ignoring {0}; further ones like it are ignored silently", refusal);
            return;
        }
        if (!PolicyChecksum.Matches(policy.Blob, policy.Checksum))
        {
            _log.Warning("policy relay: ignoring version {0}, its checksum does not match", policy.Version);
            return;
        }
        _current[policy.Controller] = policy;
        foreach (var environment in _environments) environment.Tell(policy);
    }

    public static Props Props(ActorSettings settings, IActorRef learner) =>
        Akka.Actor.Props.Create(() => new PolicyRelay(settings, learner));
}
