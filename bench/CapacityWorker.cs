using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning.Environments;
using Alrs.Torch;
using Alrs.Messages;
using TorchSharp;

namespace Alrs.Bench;

/// <summary>
/// One worker process of the capacity benchmark (<c>alrs-bench capacity-worker SEED-ADDRESS INDEX</c>,
/// started by <see cref="CapacityBenchmark"/>): an actor system on loopback whose
/// <see cref="CapacityWorker"/> actor runs a <see cref="RolloutSupervisor"/> of paced instant
/// environments per run, as `alrs worker` runs real ones, and reports when all its environments
/// adopted a version.
/// </summary>
public sealed class CapacityWorker : ReceiveActor
{
    readonly int _index;
    readonly ActorSettings _settings;
    readonly ActorSelection _coordinator;
    IActorRef? _rollouts;
    int _run = -1, _environments;
    string _prefix = "";
    readonly Dictionary<long, int> _adoptions = [];

    public CapacityWorker(int index, ActorSettings settings, ActorSelection coordinator)
    {
        _index = index;
        _settings = settings;
        _coordinator = coordinator;

        ReceiveAsync<StartRollouts>(async start =>
        {
            var learner = await Context.ActorSelection(start.Learner).ResolveOne(TimeSpan.FromSeconds(30));
            var environment = new EnvironmentSettings();
            var observationSize = ObservationFeatures.Create(environment.Observation).Size;
            var actionSpace = ActionMappings.For(environment).Space;
            (_run, _environments, _prefix) = (start.Run, start.Environments, $"w{_index}-r{start.Run}/");
            _adoptions.Clear();
            var settings = _settings with { Environments = start.Environments, PolicyRelay = start.Relay, EnvironmentIdPrefix = _prefix };
            _rollouts = Context.ActorOf(RolloutSupervisor.Props(settings,
                _ => new PacedEnvironment(new InstantEnvironment(observationSize, actionSpace), start.Rate), learner), $"rollouts-{start.Run}");
            Sender.Tell(new RolloutsStarted(_index, start.Run));
        });
        Receive<PolicyAdopted>(adopted =>
        {
            if (!adopted.EnvironmentId.StartsWith(_prefix, StringComparison.Ordinal)) return;
            var count = _adoptions[adopted.Version] = _adoptions.GetValueOrDefault(adopted.Version) + 1;
            if (count == _environments) _coordinator.Tell(new VersionAdopted(_index, _run, adopted.Version, Stopwatch.GetTimestamp()));
        });
        ReceiveAsync<StopRollouts>(async stop =>
        {
            if (_rollouts is not null) await _rollouts.GracefulStop(TimeSpan.FromMinutes(2));
            _rollouts = null;
            _prefix = "-";
            Sender.Tell(new RolloutsStopped(_index, stop.Run));
        });
        Receive<GetUsage>(_ =>
        {
            using var process = Process.GetCurrentProcess();
            Sender.Tell(new WorkerUsage(_index, process.TotalProcessorTime.TotalSeconds, process.WorkingSet64));
        });
        Receive<ShutDownWorker>(_ => Context.System.Terminate());
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PolicyAdopted));
        _coordinator.Tell(new WorkerReady(_index));
    }
}
