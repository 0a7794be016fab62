using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Torch;
using Alrs.Nodes.Configuration;
using TorchSharp;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// The <c>worker</c> role: loads this node's data set, then runs a <see cref="RolloutSupervisor"/>
/// at <c>/user/rollouts</c> with <c>alrs.worker.environments</c> environment actors. Their
/// learner is a ClusterSingletonProxy (<see cref="LearnerRole.Proxy"/>) to <see cref="LearnerRole.ManagerPath"/>:
/// no static address, and it follows the singleton when it moves to another node.
/// Environment ids carry this node's address and incarnation so they are unique in the cluster.
/// The environments start once the learner's <see cref="Messages.LearnerSpec"/> matches this
/// node's configuration (<see cref="WorkerAdmission"/>); a mismatch ends the worker with exit 2.
/// </summary>
public sealed class WorkerRole(TextWriter output) : INodeRole
{
    public const string RolloutsName = "rollouts";

    public string Role => NodeRoles.Worker;

    public void Start(ActorSystem system, Config config)
    {
        var self = Cluster.Get(system).SelfUniqueAddress;
        var settings = ActorSettings.FromConfig(config) with
        {
            Environments = WorkerEnvironments(config),
            EnvironmentIdPrefix = $"{self.Address.Host}:{self.Address.Port}#{self.Uid}/",
            EnvironmentSeed = SeedFor(ActorSettings.FromConfig(config).EnvironmentSeed, $"{self.Address.Host}:{self.Address.Port}"),
        };
        var problem = ExperimentSettings.Problem(config);
        var environment = ExperimentSettings.Environment(config);

        TorchThreads.ForEnvironments(settings);
        var data = problem.Load();
        system.RegisterOnTermination(data.Dispose);

        var learner = LearnerRole.Proxy(system);
        system.ActorOf(LearnerWatch.Props(LearnerTimeout(config), output), "learner-watch");
        // Environments start only once the learner confirmed it trains the same policy shape and problem.
        void StartEnvironments()
        {
            system.ActorOf(RolloutSupervisor.Props(settings, _ => new LearningRateEnvironment(data, problem.Network, environment), learner), RolloutsName);
            output.WriteLine($"worker: {settings.Environments} environments on {problem.DatasetName}/{problem.Architecture} " +
                             $"({environment.Steps / environment.DecisionInterval} decisions per episode) at /user/{RolloutsName}");
        }
        system.ActorOf(WorkerAdmission.Props(learner, WorkerAdmission.SpecOf(config), StartEnvironments), "admission");
    }

    /// <summary>
    /// Workers must not all replay environment 0's seeds: the base seed is shifted by a stable
    /// hash (FNV-1a) of this node's host:port, so a worker on a fixed address samples the same
    /// episodes on every run, and two workers sample different ones.
    /// </summary>
    static int SeedFor(int baseSeed, string address)
    {
        var hash = 2166136261u;
        foreach (var c in address) hash = (hash ^ c) * 16777619u;
        return (int)((baseSeed + (hash % 100_000u) * 10_000u) % int.MaxValue);
    }

    static TimeSpan LearnerTimeout(Config config)
    {
        const string key = "alrs.worker.learner-timeout";
        TimeSpan timeout;
        try { timeout = config.GetTimeSpan(key, TimeSpan.FromSeconds(60), allowInfinite: false); }
        catch (Exception e) { throw new InputException($"{key} must be a duration of at least 1s (e.g. 60s), got '{config.GetString(key)}'", e); }
        if (timeout < TimeSpan.FromSeconds(1)) throw new InputException($"{key} must be at least 1s, got {timeout}");
        return timeout;
    }

    static int WorkerEnvironments(Config config)
    {
        const string key = "alrs.worker.environments";
        var text = config.GetString(key, "");
        if (!int.TryParse(text, out var count) || count < 1 || count > 256)
            throw new InputException($"{key} must be an integer in [1, 256], got '{text}'");
        return count;
    }
}
