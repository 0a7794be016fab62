using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Actors.Serialization;
using Alrs.Messages;
using Xunit.Abstractions;

namespace Alrs.Actors.Tests.Serialization;

public sealed class AlrsMessageSerializerSpecs(ITestOutputHelper output) : TestKit
{
    AlrsMessageSerializer Serializer => new((ExtendedActorSystem)Sys);

    object RoundTrip(object message)
    {
        var serializer = Serializer;
        var bytes = serializer.ToBinary(message);
        Assert.Equal(AlrsMessageSerializer.FormatVersion, bytes[0]);
        return serializer.FromBinary(bytes, serializer.Manifest(message));
    }

    /// <summary>A fragment as a worker sends it: 10 decisions, 7 observation features, one discrete action.</summary>
    static TrajectoryFragment TenDecisionFragment() =>
        new("127.0.0.1:40117#-8812345/env-3", (3L << 32) | 17, 4, 42,
            Enumerable.Range(0, 10)
                .Select(i => new DecisionRecord(
                    Enumerable.Range(0, 7).Select(j => MathF.Sin(i * 7 + j)).ToArray(), [i % 3],
                    -1.0986f + i * 0.01f, 0.25f * i, -0.02f * i, i == 9))
                .ToArray(),
            0f, true, -0.1234567890123);

    static PolicyVersion Policy()
    {
        using var agent = TestRun.NewAgent(seed: 5);
        return TestRun.PolicyOf(agent, 12);
    }

    [Fact]
    public void Trajectory_fragment_round_trips_with_every_float_bit_exact()
    {
        var fragment = TenDecisionFragment();
        var copy = Assert.IsType<TrajectoryFragment>(RoundTrip(fragment));

        Assert.Equal((fragment.EnvironmentId, fragment.EpisodeId, fragment.Sequence, fragment.PolicyVersion, fragment.BootstrapValue, fragment.EndsEpisode, fragment.DiscountedReturnBefore),
            (copy.EnvironmentId, copy.EpisodeId, copy.Sequence, copy.PolicyVersion, copy.BootstrapValue, copy.EndsEpisode, copy.DiscountedReturnBefore));
        Assert.Equal(fragment.Decisions.Count, copy.Decisions.Count);
        foreach (var (a, b) in fragment.Decisions.Zip(copy.Decisions))
        {
            Assert.Equal(a.Observation, b.Observation);
            Assert.Equal(a.Action, b.Action);
            Assert.Equal((a.LogProb, a.Value, a.Reward, a.Done), (b.LogProb, b.Value, b.Reward, b.Done));
        }
    }

    [Fact]
    public void Policy_version_round_trips_its_blob_and_checksum()
    {
        var policy = Policy();
        var copy = Assert.IsType<PolicyVersion>(RoundTrip(policy));

        Assert.Equal(policy.Version, copy.Version);
        Assert.Equal(policy.Blob, copy.Blob);
        Assert.Equal(policy.Checksum, copy.Checksum);
        Assert.True(PolicyChecksum.Matches(copy.Blob, copy.Checksum));
    }

    public static TheoryData<object> ValueMessages() =>
    [
        new FragmentAck("w/env-0", 7, 3),
        new FragmentGap("w/env-0", 7, 5),
        new EpisodeSummary("w/env-1", 9, 4, -1.25, 20, 0.3125, 1e-3, false),
        new EpisodeSummary("w/env-1", 10, 4, double.NaN, 0, double.NaN, double.NaN, true),
        new EpisodeSummary("w/env-1", 11, 4, -0.5, 20, 0.25, 1e-2, false, Controller: 2),
        new AssignController(2),
        new RegisterEnvironment("w/env-2"),
        new EnvironmentFailed("w/env-0", -1, "stopped unexpectedly"),
        new EnvironmentStopped("w/env-0", 4, "child training blew up"),
        new WorkerNodeLost("akka.tcp://alrs@127.0.0.1:40117", "unreachable"),
        new ScaleEnvironments(5),
        new EnvironmentStatus("w/env-0", 12, 3, 8, 11, 1),
        new InjectFault("drill"),
        new RegisterPolicyRelay(41),
        new RegisterPolicyRelay(-1),
        new LearnerSpec("authors (9 features)", "discrete (factor 1.05, 3 discrete actions)", "mnist", "mlp", "improvement"),
        GetLearnerSpec.Instance,
        GetLearnerStatus.Instance,
        GetRolloutStatus.Instance,
        GetStatus.Instance,
    ];

    [Theory]
    [MemberData(nameof(ValueMessages))]
    public void Value_message_round_trips_to_an_equal_record(object message) =>
        Assert.Equal(message, RoundTrip(message));

    [Fact]
    public void Singleton_requests_come_back_as_the_same_instance()
    {
        Assert.Same(GetLearnerStatus.Instance, RoundTrip(GetLearnerStatus.Instance));
        Assert.Same(GetRolloutStatus.Instance, RoundTrip(GetRolloutStatus.Instance));
        Assert.Same(GetStatus.Instance, RoundTrip(GetStatus.Instance));
    }

    [Fact]
    public void Learner_status_round_trips_with_its_recent_returns()
    {
        var status = new LearnerStatus(12, 11, 3.5, 4, [-1.5, 0.25], 9, 40, 360, 8, 1, 0, 2, 1, 3, 5, LearnerStatus.StoreUnavailable);
        var copy = Assert.IsType<LearnerStatus>(RoundTrip(status));

        Assert.Equal(status.RecentReturns, copy.RecentReturns);
        Assert.Equal(status with { RecentReturns = copy.RecentReturns }, copy);
    }

    [Fact]
    public void Population_fields_round_trip_controller_ids_and_every_controllers_status()
    {
        var fragment = Assert.IsType<TrajectoryFragment>(RoundTrip(TenDecisionFragment() with { Controller = 2 }));
        Assert.Equal(2, fragment.Controller);
        var policy = Assert.IsType<PolicyVersion>(RoundTrip(Policy() with { Controller = 1 }));
        Assert.Equal(1, policy.Controller);

        var relay = Assert.IsType<RegisterPolicyRelay>(RoundTrip(new RegisterPolicyRelay(4, [4, -1, 7])));
        Assert.Equal([4L, -1, 7], relay.Versions);
        Assert.Null(Assert.IsType<RegisterPolicyRelay>(RoundTrip(new RegisterPolicyRelay(4))).Versions);

        LearnerStatus Controller(int k) => new(10 + k, 9, 1.5, 1, [k], 3, 12, 90, 0, 0, 0, 0, Controller: k, Variant: k == 1 ? "env.action-factor = 2" : "",
            Hyperparameters: k == 2 ? "learning-rate = 0.003, clip-coefficient = 0.2" : "");
        var status = new LearnerStatus(12, 27, 4.5, 3, [0, 1, 2], 9, 36, 270, 0, 0, 0, 0, Controllers: [Controller(0), Controller(1), Controller(2)]);
        var copy = Assert.IsType<LearnerStatus>(RoundTrip(status));
        Assert.Equal([0, 1, 2], copy.Controllers!.Select(c => c.Controller));
        Assert.Equal([10L, 11, 12], copy.Controllers!.Select(c => c.Version));
        Assert.Equal([1.0], copy.Controllers![1].RecentReturns);
        Assert.Null(copy.Controllers![0].Controllers);
        Assert.Equal(["", "env.action-factor = 2", ""], copy.Controllers!.Select(c => c.Variant));
        Assert.Equal(["", "", "learning-rate = 0.003, clip-coefficient = 0.2"], copy.Controllers!.Select(c => c.Hyperparameters));

        // A controller's status listing controllers of its own is refused: nesting cannot run deep.
        var nested = status with { Controllers = [Controller(0) with { Controllers = [Controller(1)] }] };
        var serializer = Serializer;
        var bytes = serializer.ToBinary(nested);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(nested)));
    }

    [Fact]
    public void Rollout_status_round_trips_its_lists()
    {
        var status = new RolloutStatus(["w/env-0", "w/env-2"], ["w/env-1"], [], 3);
        var copy = Assert.IsType<RolloutStatus>(RoundTrip(status));

        Assert.Equal(status.Running, copy.Running);
        Assert.Equal(status.Restarting, copy.Restarting);
        Assert.Equal(status.Stopped, copy.Stopped);
        Assert.Equal(status.Restarts, copy.Restarts);
    }

    [Fact]
    public void Bytes_of_another_format_version_are_refused_naming_the_versions()
    {
        var bytes = Serializer.ToBinary(new ScaleEnvironments(2));
        bytes[0] = AlrsMessageSerializer.FormatVersion + 1;

        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, Serializer.Manifest(new ScaleEnvironments(2))));
        Assert.Contains($"format version {AlrsMessageSerializer.FormatVersion + 1}", error.Message);
        Assert.Contains($"this node reads {AlrsMessageSerializer.FormatVersion}", error.Message);
    }

    [Fact]
    public void Truncated_fragment_is_refused_instead_of_misread()
    {
        var bytes = Serializer.ToBinary(TenDecisionFragment());

        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..(bytes.Length / 2)], "tf"));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Binary_messages_are_smaller_than_the_default_json()
    {
        var json = Sys.Serialization.FindSerializerForType(typeof(object));
        var fragment = TenDecisionFragment();
        var policy = Policy();
        var (fragmentBytes, policyBytes) = (Serializer.ToBinary(fragment).Length, Serializer.ToBinary(policy).Length);
        var (fragmentJson, policyJson) = (json.ToBinary(fragment).Length, json.ToBinary(policy).Length);
        output.WriteLine($"10-decision fragment, 7 features: {fragmentBytes} bytes binary, {fragmentJson} bytes default JSON");
        output.WriteLine($"policy version ({policy.Blob.Length}-byte blob): {policyBytes} bytes binary, {policyJson} bytes default JSON");

        Assert.True(fragmentBytes < fragmentJson / 2, $"fragment: {fragmentBytes} vs {fragmentJson}");
        Assert.True(policyBytes < policyJson, $"policy: {policyBytes} vs {policyJson}");
        Assert.Equal(policy.Blob.Length + 1 + 8 + 4 + 1 + 64 + 4, policyBytes);
    }
}
