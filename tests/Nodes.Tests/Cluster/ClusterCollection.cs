namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// Cluster tests start actor systems and processes that listen on loopback ports; running
/// them one at a time keeps a 2-core CI machine from timing out joins.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
