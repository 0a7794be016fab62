using Akka.Actor;
using Akka.Cluster;

namespace Alrs.Nodes.Control;

/// <summary>
/// Where control commands find what they talk to. One place, so the cluster integration can
/// change a lookup (the learner through a singleton proxy, say) without touching the commands.
/// </summary>
public static class ControlTargets
{
    /// <summary>Where <c>TrainingSystem.StartTraining</c> puts the learner and the rollout supervisor.</summary>
    public const string LearnerPath = "/user/learner", RolloutsPath = "/user/rollouts";

    /// <summary>This node's cluster; throws when the node runs without Akka.Cluster (e.g. <c>alrs train</c>).</summary>
    public static Cluster Cluster(ActorSystem system) =>
        IsClusterMember(system)
            ? Akka.Cluster.Cluster.Get(system)
            : throw new ControlCommandException("this node is not a cluster member (it runs without akka.cluster)");

    static bool IsClusterMember(ActorSystem system) => system is ExtendedActorSystem { Provider: IClusterActorRefProvider };

    /// <summary>A cluster node's proxy to the singleton learner (Hosting.LearnerRole), wherever the singleton runs.</summary>
    public const string LearnerProxyPath = "/user/" + Hosting.LearnerRole.ProxyName;

    /// <summary>The learner this node answers for: through the cluster's singleton proxy, else the local one (<c>alrs train</c>).</summary>
    public static async Task<IActorRef> LearnerAsync(ActorSystem system, TimeSpan timeout) =>
        await ResolveAsync(system.ActorSelection(LearnerProxyPath), timeout)
        ?? await ResolveAsync(system.ActorSelection(LearnerPath), timeout)
        ?? throw new ControlCommandException($"no learner on this node (nothing at {LearnerProxyPath} or {LearnerPath}); ask the node that runs training");

    /// <summary>
    /// The rollout supervisors to scale: the one on <paramref name="worker"/> when given,
    /// otherwise this node's own and, in a cluster, those of every Up member with the
    /// <c>worker</c> role. Each with the address it runs at.
    /// </summary>
    public static async Task<IReadOnlyList<(Address Node, IActorRef Supervisor)>> RolloutSupervisorsAsync(ActorSystem system, Address? worker, TimeSpan timeout)
    {
        var self = system is ExtendedActorSystem extended ? extended.Provider.DefaultAddress : new Address("akka", system.Name);
        var nodes = new List<Address>();
        if (worker is not null)
        {
            nodes.Add(worker);
        }
        else
        {
            nodes.Add(self);
            if (IsClusterMember(system))
                nodes.AddRange(Akka.Cluster.Cluster.Get(system).State.Members
                    .Where(m => m.Status == MemberStatus.Up && m.HasRole(Hosting.NodeRoles.Worker) && m.Address != self)
                    .Select(m => m.Address));
        }

        var found = new List<(Address, IActorRef)>();
        foreach (var node in nodes)
        {
            var path = node == self ? RolloutsPath : node + RolloutsPath;
            if (await ResolveAsync(system.ActorSelection(path), timeout) is { } supervisor) found.Add((node, supervisor));
        }
        if (found.Count == 0)
            throw new ControlCommandException(worker is null
                ? $"no rollout supervisor on this node or any Up worker (nothing at {RolloutsPath})"
                : $"no rollout supervisor at {worker}{RolloutsPath}");
        return found;
    }

    /// <summary>The actor behind <paramref name="selection"/>, or null when nothing answers in time.</summary>
    static async Task<IActorRef?> ResolveAsync(ActorSelection selection, TimeSpan timeout)
    {
        try
        {
            return await selection.ResolveOne(timeout);
        }
        catch (ActorNotFoundException)
        {
            return null;
        }
    }
}
