using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Alrs.Actors.Serialization;
using Alrs.Messages;

namespace Alrs.Actors.Tests.Serialization;

/// <summary>Akka's JSON serializer under <see cref="StoredJsonTypes"/>: the store's records only.</summary>
public sealed class StoredJsonTypesSpecs : IAsyncLifetime
{
    ActorSystem _system = null!;
    Serializer Json => _system.Serialization.FindSerializerForType(typeof(object));

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("json-guard", BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("akka.loglevel = OFF")).And(StoredJsonTypes.Setup()));
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _system.Terminate();

    [Fact]
    public void The_store_records_still_round_trip()
    {
        var committed = new PolicyVersionCommitted(7, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), "abc", 0.25,
            new Dictionary<string, double> { ["losses/policy_loss"] = -0.1 }, [new EnvironmentWatermark("env-0", 3, 4)], [new VersionScore(7, 1.5, 3)]);
        var snapshot = new PolicyStoreSnapshot(7, [1, 2, 3], "abc", 6, [4, 5], "def", 0.5, [6, 7], [10, 11], [new EnvironmentWatermark("env-1", 1, 2)]);

        var back = (PolicyVersionCommitted)Json.FromBinary(Json.ToBinary(committed), typeof(object));
        var backSnapshot = (PolicyStoreSnapshot)Json.FromBinary(Json.ToBinary(snapshot), typeof(object));

        Assert.Equal(committed.Metrics, back.Metrics);
        Assert.Equal(committed.Watermarks, back.Watermarks);
        Assert.Equal(committed.Scores, back.Scores);
        Assert.Equal(snapshot.BestBlob, backSnapshot.BestBlob);
        Assert.Equal(snapshot.KeptSequenceNrs, backSnapshot.KeptSequenceNrs);
    }

    [Theory]
    [InlineData("System.IO.FileInfo, System.IO.FileSystem")]
    [InlineData("Alrs.Messages.ScaleEnvironments, Alrs.Messages")]
    [InlineData("System.Collections.Generic.List`1[[System.IO.DirectoryInfo, System.IO.FileSystem]], System.Private.CoreLib")]
    public void A_payload_naming_another_type_is_refused(string typeName)
    {
        var payload = Encoding.UTF8.GetBytes($$"""{"$type":"{{typeName}}"}""");

        var error = Assert.ThrowsAny<Exception>(() => Json.FromBinary(payload, typeof(object)));

        Assert.Contains("refused", error.ToString());
    }

    [Fact]
    public void A_message_without_a_wire_binding_is_not_sent_as_json()
    {
        var error = Assert.ThrowsAny<Exception>(() => Json.ToBinary(new ScaleEnvironments(3)));

        Assert.Contains("may not fall back to JSON", error.ToString());
    }
}
