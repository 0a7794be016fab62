using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Serialization;
using Alrs.Actors.Serialization;
using Alrs.Messages;

namespace Alrs.Bench;

/// <summary>
/// alrs' wire format (<see cref="AlrsMessageSerializer"/>) for <see cref="PolicyVersion"/>, counting
/// the bytes this process serialises per version: on the learner's node that is what the learner
/// sends per version (one serialisation per remote recipient; local sends are not serialised).
/// Bound by the capacity benchmark on every process (<see cref="Binding"/>).
/// </summary>
public sealed class PolicyByteCounter(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const string Binding = """
        akka.actor.serializers.counting-policy = "Alrs.Bench.PolicyByteCounter, alrs-bench"
        akka.actor.serialization-bindings { "Alrs.Messages.PolicyVersion, Alrs.Messages" = counting-policy }
        """;

    readonly AlrsMessageSerializer _inner = new(system);

    /// <summary>Version → (bytes serialised, copies).</summary>
    public ConcurrentDictionary<long, (long Bytes, int Copies)> Sent { get; } = new();

    public override int Identifier => 4243;

    public override string Manifest(object o) => _inner.Manifest(o);

    public override byte[] ToBinary(object obj)
    {
        var bytes = _inner.ToBinary(obj);
        if (obj is PolicyVersion policy) Sent.AddOrUpdate(policy.Version, (bytes.Length, 1), (_, s) => (s.Bytes + bytes.Length, s.Copies + 1));
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) => _inner.FromBinary(bytes, manifest);

    public static PolicyByteCounter Of(ActorSystem system) =>
        (PolicyByteCounter)system.Serialization.FindSerializerForType(typeof(PolicyVersion));
}
