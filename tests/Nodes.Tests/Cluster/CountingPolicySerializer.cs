using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Serialization;
using Alrs.Actors.Serialization;
using Alrs.Messages;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// alrs' own wire format for <see cref="PolicyVersion"/>, plus a record of every version this
/// node read off the wire: how many copies of each version reached the node.
/// Bind it with <see cref="Binding"/> on every node of a spec.
/// </summary>
public sealed class CountingPolicySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const string Binding = """
        akka.actor.serializers.counting-policy = "Alrs.Nodes.Tests.Cluster.CountingPolicySerializer, Alrs.Nodes.Tests"
        akka.actor.serialization-bindings { "Alrs.Messages.PolicyVersion, Alrs.Messages" = counting-policy }
        """;

    readonly AlrsMessageSerializer _inner = new(system);

    /// <summary>Versions deserialised on this node, in arrival order.</summary>
    public ConcurrentQueue<long> Received { get; } = new();

    public override int Identifier => 4299;

    public override string Manifest(object o) => _inner.Manifest(o);

    public override byte[] ToBinary(object obj) => _inner.ToBinary(obj);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var message = _inner.FromBinary(bytes, manifest);
        if (message is PolicyVersion policy) Received.Enqueue(policy.Version);
        return message;
    }

    public static CountingPolicySerializer Of(ActorSystem system) =>
        (CountingPolicySerializer)system.Serialization.FindSerializerForType(typeof(PolicyVersion));
}
