using Akka.Actor;
using Akka.Configuration;
using Alrs.Learning.Environments;
using Alrs.Messages;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Handles <see cref="LearnerSpec"/>. On a worker, asks the learner (through its singleton proxy, every
/// <see cref="AskInterval"/> until it answers) what its policy expects. When this worker's
/// configuration agrees, starts the worker's environments; when it disagrees, shuts the node
/// down with exit code 2 and one line naming the setting and both values, instead of
/// joining and failing every episode with a wrongly shaped observation.
/// </summary>
public sealed class WorkerAdmission : ReceiveActor, IWithTimers
{
    static readonly TimeSpan AskInterval = TimeSpan.FromSeconds(2);

    sealed record AskLearner
    {
        public static readonly AskLearner Instance = new();
    }

    bool _decided;

    public WorkerAdmission(IActorRef learner, LearnerSpec own, Action start)
    {
        Receive<AskLearner>(_ => learner.Tell(GetLearnerSpec.Instance));
        Receive<LearnerSpec>(spec =>
        {
            if (_decided) return;
            _decided = true;
            Timers.CancelAll();
            if (Difference(spec, own) is not { } difference)
            {
                start();
                return;
            }
            // `alrs worker` prints the reason as its one error line and exits with its code.
            var line = $"refused by the learner: {difference}; start every node with the same preset and alrs.env settings";
            CoordinatedShutdown.Get(Context.System).Run(new NodeFailedReason(line, exitCode: 2));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef learner, LearnerSpec own, Action start) =>
        Akka.Actor.Props.Create(() => new WorkerAdmission(learner, own, start));

    protected override void PreStart()
    {
        Self.Tell(AskLearner.Instance);
        Timers.StartPeriodicTimer("ask", AskLearner.Instance, AskInterval);
    }

    /// <summary>The spec this node's configuration describes (the learner publishes its own, the worker compares its own).</summary>
    public static LearnerSpec SpecOf(Config config)
    {
        var environment = ExperimentSettings.Environment(config);
        var problem = ExperimentSettings.Problem(config);
        var features = environment.Features().Size;
        var progress = environment.ObserveProgress ? " + progress" : "";
        var space = ActionMappings.For(environment).Space;
        return new LearnerSpec(
            $"{environment.Observation}{progress} ({features} features)",
            FormattableString.Invariant($"{environment.Action} (factor {environment.ActionFactor}, {(space.IsDiscrete ? $"{space.Size} discrete actions" : "continuous")})"),
            problem.DatasetName,
            problem.Network.Description,
            environment.Reward.ToString().ToLowerInvariant());
    }

    /// <summary>The first setting in which the worker differs from the learner, naming both values; null when they agree.</summary>
    public static string? Difference(LearnerSpec learner, LearnerSpec worker)
    {
        (string Key, string Learner, string Worker)[] settings =
        [
            ("alrs.env.observation", learner.Observation, worker.Observation),
            ("alrs.env.action", learner.Action, worker.Action),
            ("alrs.env.dataset", learner.Dataset, worker.Dataset),
            ("alrs.env.arch", learner.Architecture, worker.Architecture),
            ("alrs.env.reward", learner.Reward, worker.Reward),
        ];
        return settings.Where(s => s.Learner != s.Worker)
            .Select(s => $"{s.Key} differs (learner: {s.Learner}; this worker: {s.Worker})")
            .FirstOrDefault();
    }
}
