namespace Alrs.Nodes.Hosting;

/// <summary>The cluster roles of alrs and the hooks that start each role's actors.</summary>
public static class NodeRoles
{
    /// <summary>Hosts the learner (a cluster singleton) and the policy store.</summary>
    public const string Learner = "learner";

    /// <summary>Hosts environment actors that sample trajectories with the current policy.</summary>
    public const string Worker = "worker";

    /// <summary>
    /// Hooks that <c>alrs seed</c> and <c>alrs worker</c> start for their roles. Empty for
    /// now: nodes only form the cluster and print membership. The actors integration adds
    /// its learner and worker roles here.
    /// </summary>
    public static IReadOnlyList<INodeRole> Hooks { get; } = [];
}
