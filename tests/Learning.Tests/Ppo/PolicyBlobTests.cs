using System.Text;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Ppo;

public class PolicyBlobTests
{
    public static TheoryData<string> Kinds => ["discrete", "continuous", "authors"];

    static PpoAgent TrainedAgent(string kind)
    {
        var agent = kind switch
        {
            "discrete" => PpoTestAgents.Agent(continuous: false, PpoSettings.Reimplementation with { TargetKl = 0.5 }),
            "continuous" => PpoTestAgents.Agent(continuous: true),
            "authors" => PpoTestAgents.Agent(continuous: true, PpoSettings.Authors),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown agent kind"),
        };
        agent.Update(PpoTestAgents.Batch(agent)); // non-trivial weights, statistics and Adam moments
        return agent;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Round_trip_is_bit_exact_and_acts_identically(string kind)
    {
        using var original = TrainedAgent(kind);
        var blob = original.ToBlob();

        using var restored = PpoAgent.FromBlob(blob);

        Assert.Equal(blob, restored.ToBlob());
        Assert.Equal(original.Settings, restored.Settings);
        foreach (var observation in PpoTestAgents.Observations(10))
        {
            var (a, b) = (original.Act(observation, false, new Random(1)), restored.Act(observation, false, new Random(1)));
            Assert.Equal((a.Action[0], a.LogProb, a.Value), (b.Action[0], b.LogProb, b.Value));
            Assert.Equal(original.Act(observation, true, new Random(2)).Action, restored.Act(observation, true, new Random(2)).Action);
        }
    }

    [Fact]
    public void A_restored_learner_continues_exactly_as_the_original_would()
    {
        using var original = TrainedAgent("continuous");
        using var restored = PpoAgent.FromBlob(original.ToBlob());
        var batch = PpoTestAgents.Batch(original, seed: 50);

        original.Update(batch);
        restored.Update(batch);

        Assert.Equal(original.ToBlob(), restored.ToBlob()); // Adam moments, step count and update count travel too
    }

    [Fact]
    public void The_controller_spec_travels_in_the_blob()
    {
        var spec = new ControllerSpec(ObservationFeatures.ReimplementationLog, true, ActionMappings.Discrete, 1.2, RewardMode.Improvement);
        using var agent = PpoTestAgents.Agent(continuous: false);
        agent.Spec = spec;
        using var restored = PpoAgent.FromBlob(agent.ToBlob());
        Assert.Equal(spec, restored.Spec);

        agent.Spec = null;
        using var unspecified = PpoAgent.FromBlob(agent.ToBlob());
        Assert.Null(unspecified.Spec);
    }

    [Fact]
    public void The_trained_problem_travels_in_the_blob()
    {
        var problem = new TrainedProblem("shapes", 3, 3, 16, 16, "small-cnn [conv 8 3, maxpool 2, linear 16]");
        using var agent = PpoTestAgents.Agent(continuous: false);
        agent.Problem = problem;
        using var restored = PpoAgent.FromBlob(agent.ToBlob());
        Assert.Equal(problem, restored.Problem);
        Assert.Equal("3 classes, not 10", problem.Difference(problem with { Classes = 10 }));
        Assert.Null(problem.Difference(problem with { Classes = 0, Channels = 0, Height = 0, Width = 0 }));
        Assert.Equal("data set shapes, not iris", problem.Difference(problem with { Dataset = "iris" }));
    }

    [Theory]
    [InlineData(1)] // no controller spec, no trained problem
    [InlineData(2)] // a controller spec, no trained problem
    public void Blobs_of_earlier_formats_are_still_read(int format)
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        agent.Spec = null;
        var current = agent.ToBlob();
        // Format 1 lacks both presence bytes (spec, problem) that follow the settings; format 2 the second.
        var problemByte = IndexOfObservationSize(current) - 1;
        var removed = format == 1 ? 2 : 1;
        Assert.Equal(new byte[] { 0, 0 }, current[(problemByte - 1)..(problemByte + 1)]);
        byte[] earlier = [.. current[..(problemByte + 1 - removed)], .. current[(problemByte + 1)..]];
        BitConverter.GetBytes(format).CopyTo(earlier, PolicyBlob.Magic.Length);

        using var restored = PpoAgent.FromBlob(earlier);
        Assert.Null(restored.Spec);
        Assert.Null(restored.Problem);
        Assert.Equal(current, restored.ToBlob());
    }

    [Fact]
    public void A_foreign_blob_is_rejected_for_its_magic()
    {
        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(Encoding.ASCII.GetBytes("PK\u0003\u0004 not a policy")));

        Assert.Contains("not an alrs policy blob", error.Message);
    }

    [Fact]
    public void An_unsupported_format_version_is_rejected_naming_it()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        var blob = agent.ToBlob();
        BitConverter.GetBytes(99).CopyTo(blob, PolicyBlob.Magic.Length);

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(blob));

        Assert.Contains("version 99", error.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(200)]
    [InlineData(1)] // bytes cut from the end
    public void A_truncated_blob_is_rejected_as_truncated(int cut)
    {
        using var agent = PpoTestAgents.Agent(continuous: true);
        var blob = agent.ToBlob();

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(blob[..(cut == 1 ? blob.Length - 1 : cut)]));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob([.. agent.ToBlob(), 0]));

        Assert.Contains("trailing", error.Message);
    }

    [Fact]
    public void A_blob_with_shapes_that_contradict_its_settings_is_rejected()
    {
        using var agent = new PpoAgent(PpoSettings.Reimplementation, 3, ActionSpace.Discrete(3), 1);
        var blob = agent.ToBlob();
        // The observation size follows the settings; claim 4 inputs for 3-input weights.
        var offset = IndexOfObservationSize(blob);
        BitConverter.GetBytes(4).CopyTo(blob, offset);

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(blob));

        Assert.Contains("shape", error.Message);
    }

    static int IndexOfObservationSize(byte[] blob)
    {
        // Magic (7) + version (4) + settings: 13 fields of fixed size plus two width lists; then the spec and the problem (here: absent, one byte each).
        using var reader = new BinaryReader(new MemoryStream(blob));
        reader.ReadBytes(7 + 4);
        reader.ReadDouble(); reader.ReadDouble(); reader.ReadDouble(); reader.ReadBoolean();
        reader.ReadDouble(); reader.ReadDouble(); reader.ReadDouble();
        reader.ReadDouble(); if (reader.ReadBoolean()) reader.ReadDouble(); reader.ReadDouble();
        reader.ReadInt32(); reader.ReadInt32();
        for (var list = 0; list < 2; list++) { var n = reader.ReadInt32(); for (var i = 0; i < n; i++) reader.ReadInt32(); }
        reader.ReadBoolean(); reader.ReadDouble(); reader.ReadBoolean(); reader.ReadDouble();
        reader.ReadBoolean(); if (reader.ReadBoolean()) reader.ReadDouble(); if (reader.ReadBoolean()) reader.ReadDouble(); reader.ReadDouble();
        Assert.False(reader.ReadBoolean());
        Assert.False(reader.ReadBoolean());
        return (int)reader.BaseStream.Position;
    }
}
