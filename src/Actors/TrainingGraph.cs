using Akka.Actor;
using Akka.Configuration;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Torch;
using TorchSharp;

namespace Alrs.Actors;

/// <summary>
/// The top-level actors of one training run. <see cref="Learner"/> is the
/// <see cref="PopulationActor"/> when several controllers train; its stores are its children
/// then, and <see cref="Store"/> is Nobody.
/// </summary>
public sealed record TrainingGraph(IActorRef Learner, IActorRef Rollouts, IActorRef Store);

/// <summary>
/// Wiring shared by <c>alrs train</c> and the tests, so both build the same actor graph:
/// policy store, learner, rollout supervisor with its environment actors.
/// </summary>
public static class TrainingSystem
{
    /// <summary>
    /// The actor system's configuration for a run: <paramref name="alrsConfig"/> (the loaded
    /// hocon files) with the persistence plugins pointed at the run's store.
    /// </summary>
    public static Config ForRun(Config alrsConfig, ActorSettings settings, string runDirectory)
    {
        var connection = Quote(settings.ConnectionStringFor(runDirectory));
        var provider = Quote(settings.StoreProvider);
        var store = ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.connection-string = {connection}
            akka.persistence.journal.sql.provider-name = {provider}
            akka.persistence.snapshot-store.sql.connection-string = {connection}
            akka.persistence.snapshot-store.sql.provider-name = {provider}
            akka.persistence.query.journal.sql.connection-string = {connection}
            akka.persistence.query.journal.sql.provider-name = {provider}
            """);
        return store.WithFallback(alrsConfig);
    }

    /// <summary>
    /// Starts the training graph. <paramref name="environmentFactory"/> builds environment i
    /// (datasets are the caller's business); <paramref name="createAgent"/> builds a fresh
    /// learner policy when the store holds none. Sets libtorch's process-wide intra-op thread
    /// count once (<see cref="TorchThreads.ForEnvironments"/>).
    /// </summary>
    public static TrainingGraph StartTraining(
        this ActorSystem system,
        ActorSettings settings,
        Func<int, ILearningEnvironment> environmentFactory,
        Func<PpoAgent> createAgent)
    {
        TorchThreads.ForEnvironments(settings);
        var store = system.ActorOf(PolicyStore.Supervised(settings), "policy-store");
        var learner = system.ActorOf(LearnerActor.Props(settings, createAgent, store), "learner");
        var rollouts = system.ActorOf(RolloutSupervisor.Props(settings, environmentFactory, learner), "rollouts");
        return new TrainingGraph(learner, rollouts, store);
    }

    /// <summary>
    /// Starts the training graph of <paramref name="population"/>: with one controller exactly
    /// the graph above (its agent seeded with the learner seed), with more a
    /// <see cref="PopulationActor"/> named <c>learner</c> in the learner's place.
    /// <paramref name="createAgent"/> builds controller k's fresh policy with PPO seed s.
    /// </summary>
    public static TrainingGraph StartTraining(
        this ActorSystem system,
        ActorSettings settings,
        PopulationSettings population,
        Func<int, ILearningEnvironment> environmentFactory,
        Func<int, int, PpoAgent> createAgent)
    {
        if (!population.IsPopulation) return system.StartTraining(settings, environmentFactory, () => createAgent(0, settings.LearnerSeed));
        TorchThreads.ForEnvironments(settings);
        var learner = system.ActorOf(PopulationActor.Props(settings, population, createAgent), "learner");
        var rollouts = system.ActorOf(RolloutSupervisor.Props(settings, environmentFactory, learner), "rollouts");
        return new TrainingGraph(learner, rollouts, ActorRefs.Nobody);
    }

    /// <summary>Starts a <see cref="TrainingProgress"/> reporter on the system's event stream.</summary>
    public static IActorRef FollowProgress(this ActorSystem system, TextWriter output, long episodes, int environments, TaskCompletionSource<long> finished, string storeName = "the policy store")
    {
        var progress = system.ActorOf(TrainingProgress.Props(output, episodes, environments, finished, storeName), "training-progress");
        foreach (var type in new[] { typeof(Messages.EpisodeSummary), typeof(Messages.PolicyPublished), typeof(Messages.EnvironmentFailed), typeof(Messages.EnvironmentStopped), typeof(Messages.PolicyStoreGaveUp) })
            system.EventStream.Subscribe(progress, type);
        return progress;
    }

    static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
