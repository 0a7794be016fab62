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
/// <para>
/// Population-based training (<c>alrs.population.mode = pbt</c>): after every
/// <see cref="PbtSettings.IntervalUpdates"/> PPO updates of a controller (counted from this
/// actor's start: <see cref="PolicyPublished"/> with decisions, on the event stream), a round
/// ranks every controller by its mean recent return (the learner's window: its last 20 finished
/// episodes; a controller without one is not ranked). If that controller is in the bottom
/// quantile (<see cref="PopulationBasedTraining.Quantiles"/>), a top-quantile controller drawn
/// at random is asked for its newest committed version (<see cref="GetPolicySnapshot"/>), its
/// hyperparameters are explored (<see cref="PopulationBasedTraining.Explore"/>) and the
/// controller is told to continue from it (<see cref="ExploitFrom"/>). Its learner commits the
/// exploit as its next version with the event (the store keeps the lineage, so <c>--resume</c>
/// and <c>alrs select</c> read it back); the population logs it in one line and publishes it
/// on the event stream. One round at a time; controllers due meanwhile wait their turn.
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

    /// <summary>A pbt round's ranking of the controller that was due.</summary>
    sealed record Ranked(int Controller, IReadOnlyList<LearnerStatus> Statuses);

    /// <summary>A pbt round's source: the top controller's newest committed version.</summary>
    sealed record SourceFound(int Controller, double Mean, int Source, double SourceMean, PolicySnapshot Snapshot);

    readonly int[] _updatesSinceRound;
    readonly SortedSet<int> _due = [];
    readonly Random _pbtRandom;
    bool _roundRunning;

    /// <param name="createAgent">A fresh policy of controller k with PPO seed s: (k, s) → agent.</param>
    public PopulationActor(ActorSettings settings, PopulationSettings population, Func<int, int, PpoAgent> createAgent)
    {
        _settings = settings;
        _population = population;
        _createAgent = createAgent;
        _updatesSinceRound = new int[population.Controllers];
        _pbtRandom = new Random(settings.LearnerSeed);

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
        if (population.IsPbt) PopulationBasedTrainingRounds();
    }

    void PopulationBasedTrainingRounds()
    {
        var pbt = _population.Pbt;
        Receive<PolicyPublished>(published =>
        {
            if (published.Decisions == 0 || published.Controller < 0 || published.Controller >= _learners.Count) return;
            if (++_updatesSinceRound[published.Controller] < pbt.IntervalUpdates) return;
            _updatesSinceRound[published.Controller] = 0;
            _due.Add(published.Controller);
            NextRound();
        });
        Receive<Ranked>(ranked =>
        {
            var scored = ranked.Statuses.Where(s => s.RecentReturns.Count > 0).Select(s => (s.Controller, s.MeanRecentReturn)).ToArray();
            var (bottom, top) = PopulationBasedTraining.Quantiles(scored, pbt.Quantile);
            if (!bottom.Contains(ranked.Controller))
            {
                EndRound();
                return;
            }
            var source = top[_pbtRandom.Next(top.Count)];
            double MeanOf(int k) => scored.First(s => s.Controller == k).MeanRecentReturn;
            _learners[source].Ask<PolicySnapshot>(GetPolicySnapshot.Instance, _settings.StoreRequestTimeout)
                .PipeTo(Self, success: snapshot => new SourceFound(ranked.Controller, MeanOf(ranked.Controller), source, MeanOf(source), snapshot));
        });
        Receive<SourceFound>(found =>
        {
            if (found.Snapshot.Policy is not { } policy)
            {
                EndRound();
                return;
            }
            var (values, perturbation) = PopulationBasedTraining.Explore(found.Snapshot.Hyperparameters, pbt, _pbtRandom);
            var exploit = new PopulationExploit(found.Controller, -1, -1, found.Source, policy.Version, values, perturbation, found.Mean, found.SourceMean, DateTime.UtcNow);
            // The learner answers once the exploit is committed: after its own commit in flight, and through a store outage.
            _learners[found.Controller].Ask<object>(new ExploitFrom(policy, exploit), _settings.StoreUnavailableTimeout + _settings.StoreRequestTimeout).PipeTo(Self);
        });
        Receive<Exploited>(exploited =>
        {
            _log.Info(PbtHyperparameters.Describe(exploited.Exploit));
            Context.System.EventStream.Publish(exploited.Exploit);
            EndRound();
        });
        Receive<ExploitRefused>(_ => EndRound()); // the learner said why
        Receive<Status.Failure>(failure =>
        {
            _log.Warning("pbt: a round failed, the population goes on as it was: {0}", failure.Cause.Message);
            EndRound();
        });
    }

    /// <summary>Ranks the lowest controller that is due, unless a round is running.</summary>
    void NextRound()
    {
        if (_roundRunning || _due.Count == 0) return;
        var controller = _due.Min;
        _due.Remove(controller);
        _roundRunning = true;
        Status().PipeTo(Self, success: status => new Ranked(controller, status.Controllers ?? []));
    }

    void EndRound()
    {
        _roundRunning = false;
        NextRound();
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
        // The learners publish their versions there (they do not know they have a parent that cares).
        if (_population.IsPbt) Context.System.EventStream.Subscribe(Self, typeof(PolicyPublished));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

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
        // Hyperparameters only where they change: in pbt mode.
        statuses = statuses.Select((s, k) => s with { EnvironmentsConnected = counts[k], Hyperparameters = _population.IsPbt ? s.Hyperparameters : "" }).ToArray();
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
