using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Torch;
using Alrs.Nodes.Configuration;
using TorchSharp;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// The <c>learner</c> role: a <see cref="ClusterSingletonManager"/> at <c>/user/learner</c>
/// that runs one <see cref="LearnerHost"/> (learner + policy store) on the oldest learner node,
/// and a <see cref="TrainingReport"/> that prints the learner's status lines and ends this
/// node after <c>alrs.train.episodes</c> episodes. The policy's shape (observation size,
/// action space) comes from this node's <c>alrs.env</c> settings: every node must load the
/// same preset.
/// </summary>
public sealed class LearnerRole(TextWriter output) : INodeRole
{
    /// <summary>Where the singleton manager lives; the proxies point here.</summary>
    public const string ManagerPath = "/user/learner";

    /// <summary>Where every cluster node (learner or worker) keeps its proxy to the singleton learner.</summary>
    public const string ProxyName = "learner-proxy";

    static readonly ConditionalWeakTable<ActorSystem, IActorRef> Proxies = new();

    /// <summary>
    /// This node's <see cref="ClusterSingletonProxy"/> to the learner at <c>/user/learner-proxy</c>,
    /// created once per actor system (a node with both roles shares it).
    /// </summary>
    public static IActorRef Proxy(ActorSystem system) =>
        Proxies.GetValue(system, s => s.ActorOf(ClusterSingletonProxy.Props(ManagerPath,
            ClusterSingletonProxySettings.Create(s).WithRole(NodeRoles.Learner)), ProxyName));

    public string Role => NodeRoles.Learner;

    public void Start(ActorSystem system, Config config)
    {
        var settings = ActorSettings.FromConfig(config);
        var train = TrainSettings.FromConfig(config);
        var population = PopulationSettings.FromConfig(config);
        // alrs.train.episodes counts per controller.
        var episodes = train.Episodes * population.Controllers;
        var problem = ExperimentSettings.Problem(config);
        // Each controller from its own configuration (its variant over the node's); the learner does not load the data.
        var createAgent = Commands.ControllerAgents.Factory(config, population);
        var trained = new TrainedProblem(problem.DatasetName, 0, 0, 0, 0, problem.Network.Description);

        TorchThreads.ForLearner(settings);
        system.ActorOf(TrainingReport.Props(output, episodes, settings.StoreName(NodeStore.Directory(config)), population.IsPopulation), "training-report");
        system.ActorOf(ClusterSingletonManager.Props(
                LearnerHost.Props(settings, population, (k, seed) => createAgent(k, seed, trained), WorkerAdmission.SpecOf(config)),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(NodeRoles.Learner)),
            ManagerPath.Split('/')[^1]);
        Proxy(system); // `alrs ctl learner status` asks the learner through it on any node
        output.WriteLine(population.IsPopulation
            ? $"learner: singleton manager started; training {population.Controllers} controllers, {episodes} episodes in all, on this node's learner"
            : $"learner: singleton manager started; training {train.Episodes} episodes on this node's learner");
    }
}
