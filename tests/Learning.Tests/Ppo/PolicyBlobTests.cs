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
    public void Settings_added_in_format_3_travel_as_extensions_and_format_2_blobs_still_read()
    {
        var spec = new ControllerSpec(ObservationFeatures.Log, true, ActionMappings.Residual, 4, RewardMode.Improvement,
            "knee(lr=0.01,explore=0.3,warmup=0.05,min=1E-05)");
        var settings = PpoSettings.Reimplementation with { AdvantageScope = AdvantageScope.Batch, AnnealUpdates = 75, AnnealEntropy = true, InitialStd = 0.25 };
        using var agent = new PpoAgent(settings, 9, ActionMapping(spec).Space, 3) { Spec = spec };
        using var restored = PpoAgent.FromBlob(agent.ToBlob());
        Assert.Equal(spec, restored.Spec);
        Assert.Equal(settings, restored.Settings);
        Assert.Equal(agent.ToBlob(), restored.ToBlob());

        // A format-2 blob is a format-3 blob without extensions and without the count.
        using var plain = PpoTestAgents.Agent(continuous: false);
        plain.Spec = null;
        var current = plain.ToBlob();
        var countAt = IndexOfObservationSize(current) - 4;
        byte[] formatTwo = [.. current[..countAt], .. current[(countAt + 4)..]];
        BitConverter.GetBytes(2).CopyTo(formatTwo, PolicyBlob.Magic.Length);
        using var old = PpoAgent.FromBlob(formatTwo);
        Assert.Equal(current, old.ToBlob());
    }

    [Fact]
    public void An_unknown_extension_is_refused_naming_it()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        agent.Spec = null;
        var current = agent.ToBlob();
        var countAt = IndexOfObservationSize(current) - 4;
        using var extra = new MemoryStream();
        using (var writer = new BinaryWriter(extra)) { writer.Write(1); writer.Write("ppo.future-thing"); writer.Write("7"); }
        byte[] blob = [.. current[..countAt], .. extra.ToArray(), .. current[(countAt + 4)..]];

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(blob));

        Assert.Contains("ppo.future-thing = 7", error.Message);
    }

    static IActionMapping ActionMapping(ControllerSpec spec) =>
        ActionMappings.For(spec.ApplyTo(new EnvironmentSettings { Steps = 300 }));

    [Fact]
    public void A_format_1_blob_without_a_spec_is_still_read()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        agent.Spec = null;
        var current = agent.ToBlob();
        // Format 1 is format 3 without the spec's presence byte, which follows the settings, and the empty extension list after it.
        var settingsEnd = IndexOfObservationSize(current) - 5;
        Assert.Equal(0, current[settingsEnd]);
        byte[] formatOne = [.. current[..settingsEnd], .. current[(settingsEnd + 5)..]];
        BitConverter.GetBytes(1).CopyTo(formatOne, PolicyBlob.Magic.Length);

        using var restored = PpoAgent.FromBlob(formatOne);
        Assert.Null(restored.Spec);
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
        // Magic (7) + version (4) + settings: 13 fields of fixed size plus two width lists; then the spec (here: absent, one byte).
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
        Assert.Equal(0, reader.ReadInt32()); // no extensions
        return (int)reader.BaseStream.Position;
    }
}
