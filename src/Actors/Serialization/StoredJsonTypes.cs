using Akka.Actor.Setup;
using Akka.Serialization;
using Alrs.Messages;
using Newtonsoft.Json.Serialization;

namespace Alrs.Actors.Serialization;

/// <summary>
/// Restricts Akka's JSON serializer (Newtonsoft, which reads type names from the payload) to
/// the policy store's records and the plain values inside them. Everything that crosses nodes
/// is bound to <see cref="AlrsMessageSerializer"/> (hocon/cluster.hocon); the JSON serializer
/// remains the fallback for the rest and what the store's journal was written with. Without
/// this, a peer could send a payload tagged as JSON naming any .NET type, and the node would
/// build it: with it, such a payload (or one read from a hostile <c>policies.db</c>) fails to
/// deserialize, and a message type that was never bound fails to serialize at its sender.
/// </summary>
public sealed class StoredJsonTypes : ISerializationBinder
{
    static readonly HashSet<Type> Records =
        [typeof(PolicyVersionCommitted), typeof(PolicyStoreSnapshot), typeof(EnvironmentWatermark), typeof(VersionScore), typeof(PopulationExploit)];

    static readonly HashSet<Type> Generics = [typeof(Dictionary<,>), typeof(List<>), typeof(Nullable<>)];

    readonly DefaultSerializationBinder _names = new();

    /// <summary>The setup that installs it on an actor system's JSON serializer.</summary>
    public static Setup Setup() => NewtonSoftJsonSerializerSetup.Create(settings => settings.SerializationBinder = new StoredJsonTypes());

    /// <summary>Whether JSON may carry <paramref name="type"/>: a store record, a primitive, a string or date, or arrays and collections of those.</summary>
    public static bool Allowed(Type type)
    {
        if (type.IsArray) return Allowed(type.GetElementType()!);
        if (type.IsGenericType) return Generics.Contains(type.GetGenericTypeDefinition()) && type.GetGenericArguments().All(Allowed);
        return type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || Records.Contains(type);
    }

    public Type BindToType(string? assemblyName, string typeName)
    {
        var type = _names.BindToType(assemblyName, typeName);
        return Allowed(type)
            ? type
            : throw new System.Runtime.Serialization.SerializationException($"JSON payload names {type.FullName}, which alrs never sends or stores as JSON: refused");
    }

    public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
    {
        if (!Allowed(serializedType))
            throw new System.Runtime.Serialization.SerializationException(
                $"{serializedType.FullName} has no binding to alrs' wire serializer (hocon/cluster.hocon) and may not fall back to JSON");
        _names.BindToName(serializedType, out assemblyName, out typeName);
    }
}
