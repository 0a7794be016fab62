namespace Alrs.Nodes.Hosting;

/// <summary>The cluster roles of alrs and the hooks that start each role's actors.</summary>
public static class NodeRoles
{
    /// <summary>Hosts the learner (a cluster singleton) and the policy store.</summary>
    public const string Learner = "learner";

    /// <summary>Hosts environment actors that sample trajectories with the current policy.</summary>
    public const string Worker = "worker";

    /// <summary>Hooks that <c>alrs seed</c> and <c>alrs worker</c> start for their roles once Up.</summary>
    public static IReadOnlyList<INodeRole> Hooks { get; } = [new LearnerRole(Console.Out), new WorkerRole(Console.Out)];
}
