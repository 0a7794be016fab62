using Akka.Actor;
using Akka.Event;
using Alrs.Learning.Ppo;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// A population of K controllers (<c>alrs.population.controllers</c> &gt; 1) in place of the
/// single learner: it owns K <see cref="LearnerActor"/>s, each with its own
/// <see cref="PolicyStore"/> (persistence id <see cref="PopulationSettings.PersistenceIdOf"/>),
/// version numbering and PPO seed (learner seed + k), and answers everything the single
/// learner answers, so environments, relays and <c>alrs ctl</c> talk to it unchanged. No
/// learner knows it has siblings: each only refuses fragments stamped with another controller.
/// <para>
/// Handles <see cref="TrajectoryFragment"/> and <see cref="EpisodeSummary"/> (to the learner
/// of their <c>Controller</c>), <see cref="RegisterEnvironment"/> (assigns the environment a
/// controller with <see cref="AssignController"/> and passes the registration to every learner,
/// so every learner sends it its versions and an environment can change controllers between
/// episodes), <see cref="RegisterPolicyRelay"/> (each learner gets the version the relay holds
/// of it), <see cref="EnvironmentFailed"/> and <see cref="WorkerNodeLost"/> (to every learner),
/// <see cref="EnvironmentStopped"/>, <see cref="Terminated"/> of an environment and
/// <see cref="GetLearnerStatus"/> (the totals, with every controller's status).
/// </para>
/// <para>
/// Assignment: a new environment goes to the controller with fewest environments (lowest id
/// first); when environments stop (scaled down, failed for good, node lost) the assignment is
/// rebalanced so controllers differ by at most one environment. A learner that fails is
/// restarted alone (it recovers from its store; the others go on).
/// </para>
/// </summary>
public sealed class PopulationActor : ReceiveActor
{
    readonly ActorSettings _settings;
    readonly PopulationSettings _population;
    readonly Func<int, int, PpoAgent> _createAgent;
    readonly ILoggingAdapter _log = Context.GetLogger();
    readonly List<IActorRef> _learners = [];
    /// <summary>Every environment known, with its id and the controller it plays for.</summary>
    readonly Dictionary<IActorRef, (string Id, int Controller)> _assignment = [];
    bool _lostRefusalLogged;

    /// <param name="createAgent">A fresh policy of controller k with PPO seed s: (k, s) → agent.</param>
    public PopulationActor(ActorSettings settings, PopulationSettings population, Func<int, int, PpoAgent> createAgent)
    {
        _settings = settings;
        _population = population;
        _createAgent = createAgent;

        Receive<TrajectoryFragment>(fragment => ToController(fragment.Controller, fragment, fragment.EnvironmentId));
        Receive<EpisodeSummary>(summary => ToController(summary.Controller, summary, summary.EnvironmentId));
        Receive<RegisterEnvironment>(register =>
        {
            Assign(Sender, register.EnvironmentId, explicitly: true);
            foreach (var learner in _learners) learner.Forward(register);
        });
        Receive<RegisterPolicyRelay>(register =>
        {
            for (var k = 0; k < _learners.Count; k++)
            {
                var held = register.Versions is { } versions ? k < versions.Count ? versions[k] : -1 : k == 0 ? register.Version : -1;
                _learners[k].Forward(new RegisterPolicyRelay(held));
            }
        });
        Receive<EnvironmentFailed>(failed =>
        {
            foreach (var learner in _learners) learner.Forward(failed);
        });
        Receive<EnvironmentStopped>(stopped =>
        {
            var controller = _assignment.Values.FirstOrDefault(a => a.Id == stopped.EnvironmentId).Controller;
            _learners[controller].Forward(stopped);
        });
        // Only from the population's parent (the cluster's learner host), passed on as the
        // learners' parent: a forged one would drop a live node's episodes of every controller.
        Receive<WorkerNodeLost>(_ => !Sender.Equals(Context.Parent), lost =>
        {
            if (!_lostRefusalLogged)
                _log.Warning("ignoring WorkerNodeLost({0}) from {1}, not from the learner's host; further ones are ignored silently", lost.Address, Sender.Path);
            _lostRefusalLogged = true;
        });
        Receive<WorkerNodeLost>(lost =>
        {
            foreach (var learner in _learners) learner.Tell(lost);
            foreach (var environment in _assignment.Keys.Where(e => e.Path.Address.ToString() == lost.Address).ToArray())
            {
                _assignment.Remove(environment);
                Context.Unwatch(environment);
            }
            Rebalance();
        });
        Receive<Terminated>(terminated =>
        {
            if (_assignment.Remove(terminated.ActorRef)) Rebalance();
        });
        Receive<GetLearnerStatus>(_ => Status().PipeTo(Sender));
    }

    protected override void PreStart()
    {
        for (var k = 0; k < _population.Controllers; k++)
        {
            var controller = k;
            var settings = _population.SettingsOf(_settings, controller);
            var store = Context.ActorOf(PolicyStore.Supervised(settings), $"policy-store-{PopulationSettings.Name(controller)}");
            _learners.Add(Context.ActorOf(LearnerActor.Props(settings, () => _createAgent(controller, settings.LearnerSeed), store), $"learner-{PopulationSettings.Name(controller)}"));
        }
    }

    /// <summary>A failing learner is restarted alone, from its store; its siblings are not disturbed.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    void ToController(int controller, object message, string environmentId)
    {
        if (controller < 0 || controller >= _learners.Count)
        {
            _log.Warning("{0} sent {1} for controller {2}, which this population of {3} does not have: dropped",
                environmentId, message.GetType().Name, controller, _learners.Count);
            return;
        }
        // A restarted population (the singleton moved) learns of its environments from what they send.
        if (message is TrajectoryFragment && !_assignment.ContainsKey(Sender) && !Sender.IsNobody())
        {
            _assignment[Sender] = (environmentId, controller);
            Context.Watch(Sender);
            Rebalance();
        }
        _learners[controller].Forward(message);
    }

    void Assign(IActorRef environment, string id, bool explicitly)
    {
        if (environment.IsNobody()) return;
        if (!_assignment.TryGetValue(environment, out var current))
        {
            var counts = Counts();
            var controller = Enumerable.Range(0, _learners.Count).MinBy(k => (counts[k], k));
            _assignment[environment] = current = (id, controller);
            Context.Watch(environment);
        }
        if (explicitly) environment.Tell(new AssignController(current.Controller));
    }

    /// <summary>Moves environments from the controller with most to the one with fewest until they differ by at most one.</summary>
    void Rebalance()
    {
        while (true)
        {
            var counts = Counts();
            var most = Enumerable.Range(0, counts.Length).MaxBy(k => (counts[k], -k));
            var fewest = Enumerable.Range(0, counts.Length).MinBy(k => (counts[k], k));
            if (counts[most] - counts[fewest] <= 1) return;
            var moved = _assignment.Where(a => a.Value.Controller == most).OrderBy(a => a.Value.Id, StringComparer.Ordinal).Last();
            _assignment[moved.Key] = (moved.Value.Id, fewest);
            moved.Key.Tell(new AssignController(fewest));
            _log.Info("{0} reassigned from controller {1} to {2}", moved.Value.Id, most, fewest);
        }
    }

    int[] Counts()
    {
        var counts = new int[_learners.Count];
        foreach (var (_, controller) in _assignment.Values) counts[controller]++;
        return counts;
    }

    /// <summary>Every learner's status, and their totals as the population's.</summary>
    async Task<LearnerStatus> Status()
    {
        var statuses = await Task.WhenAll(_learners.Select(l => l.Ask<LearnerStatus>(GetLearnerStatus.Instance, _settings.StoreRequestTimeout)));
        var counts = Counts();
        statuses = statuses.Select((s, k) => s with { EnvironmentsConnected = counts[k] }).ToArray();
        return new LearnerStatus(
            statuses.Max(s => s.Version),
            statuses.Sum(s => s.Updates),
            statuses.Sum(s => s.DecisionsPerSecond),
            _assignment.Count,
            statuses.SelectMany(s => s.RecentReturns).ToArray(),
            statuses.Sum(s => s.Episodes),
            statuses.Sum(s => s.FragmentsReceived),
            statuses.Sum(s => s.DecisionsUsed),
            statuses.Sum(s => s.BufferedDecisions),
            statuses.Sum(s => s.DroppedStale),
            statuses.Sum(s => s.Duplicates),
            statuses.Sum(s => s.Discarded),
            statuses.Max(s => s.LostNodes),
            statuses.Sum(s => s.Malformed),
            statuses.Sum(s => s.Refused),
            statuses.All(s => s.Store == LearnerStatus.StoreAvailable) ? LearnerStatus.StoreAvailable : LearnerStatus.StoreUnavailable,
            0,
            statuses);
    }

    public static Props Props(ActorSettings settings, PopulationSettings population, Func<int, int, PpoAgent> createAgent) =>
        Akka.Actor.Props.Create(() => new PopulationActor(settings, population, createAgent));
}
