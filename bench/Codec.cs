using Akka.Actor;
using Akka.Serialization;

namespace Alrs.Bench;

/// <summary>A serializer as the learner benchmark drives it: bytes out, the message back (given a sample for its type and manifest).</summary>
public sealed record Codec(string Name, Func<object, byte[]> Write, Func<byte[], object, object> Read)
{
    /// <summary>The wire serializer of the cluster branch, where the build has it (found by name, so the harness builds without it).</summary>
    public const string AlrsBinaryTypeName = "Alrs.Actors.Serialization.AlrsMessageSerializer, Alrs.Actors";

    /// <summary>The serializer the actor system picks for <paramref name="sample"/>'s type under its configuration.</summary>
    public static Codec SystemDefault(ActorSystem system, object sample)
    {
        var serialization = system.Serialization;
        var serializer = serialization.FindSerializerFor(sample);
        return new Codec(
            serializer.GetType().Name,
            serializer.ToBinary,
            (bytes, like) => serialization.Deserialize(bytes, serializer.Identifier, Serialization.ManifestFor(serializer, like)));
    }

    /// <summary>alrs' binary wire serializer, or null when this build does not have it.</summary>
    public static Codec? AlrsBinary(ActorSystem system)
    {
        if (Type.GetType(AlrsBinaryTypeName) is not { } type) return null;
        var serializer = (SerializerWithStringManifest)Activator.CreateInstance(type, (ExtendedActorSystem)system)!;
        return new Codec(type.Name, serializer.ToBinary, (bytes, like) => serializer.FromBinary(bytes, serializer.Manifest(like)));
    }
}
