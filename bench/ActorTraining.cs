using Akka.Actor;
using Alrs.Actors;
using Alrs.Messages;

namespace Alrs.Bench;

/// <summary>What one timed window of the real training graph did besides sampling.</summary>
public sealed record ActorWindow(TimeSpan Window, long Decisions, long Updates, long PolicyVersion, long DroppedStale);

/// <summary>
/// The actor variant: the graph <c>alrs train</c> builds (<see cref="TrainingSystem.StartTraining"/>:
/// policy store on SQLite in a scratch run directory, learner with PPO updates, rollout
/// supervisor, N environment actors on pinned threads), run until the meter's window closed.
/// </summary>
public static class ActorTraining
{
    public static Task<ActorWindow> RunAsync(ChildWorkload workload, ActorSettings settings, Akka.Configuration.Config config, DecisionMeter meter, TimeSpan timeout) =>
        RunAsync(workload, settings, new PopulationSettings(), config, meter, timeout);

    /// <summary>As above with a population of controllers (<see cref="PopulationActor"/>, PPO seeds learner seed + k); one controller is the graph above.</summary>
    public static async Task<ActorWindow> RunAsync(ChildWorkload workload, ActorSettings settings, PopulationSettings population, Akka.Configuration.Config config, DecisionMeter meter, TimeSpan timeout)
    {
        var runDirectory = Path.Combine(Path.GetTempPath(), "alrs-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(runDirectory);
        var system = ActorSystem.Create("alrs-bench", TrainingSystem.ForRun(config, settings, runDirectory));
        try
        {
            var graph = system.StartTraining(settings, population, _ => workload.CreateEnvironment(meter), (_, seed) => workload.CreateAgent(seed));
            await meter.Finished.WaitAsync(timeout);
            var status = await graph.Learner.Ask<LearnerStatus>(GetLearnerStatus.Instance, TimeSpan.FromSeconds(60));
            return new ActorWindow(meter.Window, meter.Measured, status.Updates, status.Version, status.DroppedStale);
        }
        finally
        {
            await system.Terminate();
            try { Directory.Delete(runDirectory, recursive: true); }
            catch (IOException) { }
        }
    }
}
