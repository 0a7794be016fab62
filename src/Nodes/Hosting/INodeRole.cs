using Akka.Actor;
using Akka.Configuration;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// What a node runs for one cluster role once it is Up. The actors integration implements
/// one per role (<c>learner</c>: the singleton learner and policy store; <c>worker</c>:
/// the rollout supervisor and environment actors) and lists it in <see cref="NodeRoles"/>.
/// </summary>
public interface INodeRole
{
    /// <summary>The cluster role this hook serves (<see cref="NodeRoles.Learner"/> or <see cref="NodeRoles.Worker"/>).</summary>
    string Role { get; }

    /// <summary>Starts the role's actors in <paramref name="system"/>; called once, after this member is Up.</summary>
    void Start(ActorSystem system, Config config);
}
