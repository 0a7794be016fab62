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

        // A format-2 blob is an (unframed) format-4 body without the extension count and the problem's presence byte.
        using var plain = PpoTestAgents.Agent(continuous: false);
        plain.Spec = null;
        var current = plain.ToBlob();
        using var old = PpoAgent.FromBlob(AsFormat(current, 2));
        Assert.Equal(current, old.ToBlob());
    }

    [Fact]
    public void A_residual_cap_travels_in_the_blob_and_reaches_the_action()
    {
        var spec = new ControllerSpec(ObservationFeatures.Log, true, ActionMappings.Residual, 4, RewardMode.Relative,
            "knee(lr=0.01,explore=0.7,warmup=0.05,min=1E-05)", new ResidualCap(0.7, 1));
        var settings = PpoSettings.Reimplementation with { AdvantageScope = AdvantageScope.Batch, InitialStd = 0.25 };
        using var agent = new PpoAgent(settings, 9, ActionMapping(spec).Space, 3) { Spec = spec };
        using var restored = PpoAgent.FromBlob(agent.ToBlob());
        Assert.Equal(spec, restored.Spec);
        Assert.Contains(("residual-cap", "0.7:1"), restored.Spec!.Entries());

        var residual = (ResidualActions)ActionMapping(restored.Spec);
        Assert.Equal(1.0, residual.Multiplier([1f], progress: 0.7), 12);
        Assert.Equal(Math.E, residual.Multiplier([1f], progress: 0.69), 6);
        // Without a cap the blob is byte for byte what it was before the option existed.
        using var uncapped = new PpoAgent(settings, 9, ActionMapping(spec).Space, 3) { Spec = spec with { ResidualCap = null } };
        Assert.DoesNotContain("env.residual-cap", System.Text.Encoding.UTF8.GetString(uncapped.ToBlob()));
    }

    [Fact]
    public void An_unknown_extension_is_refused_naming_it()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        agent.Spec = null;
        var unframed = Unframed(agent.ToBlob());
        var countAt = IndexOfObservationSize(unframed) - 5;
        using var extra = new MemoryStream();
        using (var writer = new BinaryWriter(extra)) { writer.Write(1); writer.Write("ppo.future-thing"); writer.Write("7"); }
        byte[] blob = [.. unframed[..countAt], .. extra.ToArray(), .. unframed[(countAt + 4)..]];

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(Resealed(blob)));

        Assert.Contains("ppo.future-thing = 7", error.Message);
    }

    static IActionMapping ActionMapping(ControllerSpec spec) =>
        ActionMappings.For(spec.ApplyTo(new EnvironmentSettings { Steps = 300 }));

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
    [InlineData(1)] // no controller spec, no extensions, no trained problem
    [InlineData(2)] // a controller spec, no extensions, no trained problem
    [InlineData(3)] // extensions, no trained problem, no length or checksum
    public void Blobs_of_earlier_formats_are_still_read(int format)
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        agent.Spec = null;
        var current = agent.ToBlob();
        var earlier = AsFormat(current, format);

        using var restored = PpoAgent.FromBlob(earlier);
        Assert.Null(restored.Spec);
        Assert.Null(restored.Problem);
        Assert.Equal(current, restored.ToBlob());
    }

    [Fact]
    public void A_format_3_blob_without_length_or_checksum_is_still_read()
    {
        using var agent = TrainedAgent("discrete");
        var current = agent.ToBlob();

        using var restored = PpoAgent.FromBlob(AsFormat3(current));

        Assert.Equal(current, restored.ToBlob()); // read as format 3, written back as format 4
    }

    [Fact]
    public void The_committed_policies_of_formats_2_and_3_still_load()
    {
        var files = Directory.GetFiles(Path.Combine(Alrs.Tests.Shared.TestData.RepositoryRoot, "docs", "results", "policies"), "*.alrspol", SearchOption.AllDirectories);
        var formats = files.Select(f => BitConverter.ToInt32(File.ReadAllBytes(f), PolicyBlob.Magic.Length)).ToHashSet();
        Assert.Superset(new HashSet<int> { 2, 3 }, formats); // the format-1 files were re-saved with `alrs policy upgrade`

        foreach (var file in files)
        {
            using var agent = PpoAgent.FromBlob(File.ReadAllBytes(file));
            Assert.True(agent.Updates > 0, file);
        }
    }

    [Fact]
    public void A_blob_declaring_huge_widths_is_refused_before_any_network_is_built()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        // Two hidden layers of 65,536: 2^32 weights, 17 GB with the optimizer state, declared in a few hundred bytes.
        var crafted = Resealed(WithActorWidths(Unframed(agent.ToBlob()), [1 << 16, 1 << 16]));
        Assert.True(crafted.Length < 100_000);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(crafted));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20, "allocated more than 1 MiB");
        Assert.Contains("4,295,", error.Message); // the parameter count it declares
        Assert.Contains("bytes follow", error.Message);
    }

    [Fact]
    public void A_nan_weight_is_refused()
    {
        using var agent = PpoTestAgents.Agent(continuous: true);
        using (TorchSharp.torch.no_grad()) agent.Parameters[2].fill_(float.NaN);

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(agent.ToBlob()));

        Assert.Contains("parameter 2 holds a non-finite value", error.Message);
    }

    [Fact]
    public void An_infinite_optimizer_moment_is_refused()
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        using (TorchSharp.torch.no_grad()) agent.Optimizer.SecondMoments[0].fill_(float.PositiveInfinity);

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(agent.ToBlob()));

        Assert.Contains("optimizer moment", error.Message);
    }

    [Theory]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    [InlineData(0.0, -1.0)]
    public void Non_finite_or_negative_statistics_are_refused(double mean, double variance)
    {
        using var agent = PpoTestAgents.Agent(continuous: false);
        agent.ObservationStatistics = new RunningMeanStd(Enumerable.Repeat(mean, agent.ObservationSize).ToArray(), Enumerable.Repeat(variance, agent.ObservationSize).ToArray(), 5);

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(agent.ToBlob()));

        Assert.Contains("observation statistics", error.Message);
    }

    [Fact]
    public void A_non_finite_setting_is_refused()
    {
        using var agent = PpoTestAgents.Agent(continuous: false, PpoSettings.Reimplementation with { MaxGradNorm = double.PositiveInfinity });

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(agent.ToBlob()));

        Assert.Contains("non-finite PPO setting", error.Message);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void A_flipped_byte_fails_the_checksum(double where)
    {
        using var agent = TrainedAgent("continuous");
        var blob = agent.ToBlob();
        blob[(int)(blob.Length * where)] ^= 0x10;

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(blob));

        Assert.Contains("checksum does not match", error.Message);
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
        var blob = Unframed(agent.ToBlob());
        // The observation size follows the settings; claim 2 inputs for 3-input weights (more would need more bytes than there are).
        var offset = IndexOfObservationSize(blob);
        BitConverter.GetBytes(2).CopyTo(blob, offset);

        var error = Assert.Throws<InputException>(() => PpoAgent.FromBlob(Resealed(blob)));

        Assert.Contains("shape", error.Message);
    }

    /// <summary>A format-4 blob as format 3: the same body without its length and checksum.</summary>
    static byte[] AsFormat3(byte[] current)
    {
        Assert.Equal(4, BitConverter.ToInt32(current, PolicyBlob.Magic.Length));
        return AsFormat(current, 3);
    }

    /// <summary>
    /// A current blob (no spec, no problem) as an earlier format: 3 is the unframed body without the
    /// problem's presence byte; 2 also lacks the extension count; 1 also the spec's presence byte.
    /// </summary>
    static byte[] AsFormat(byte[] current, int format)
    {
        var unframed = Unframed(current);
        var observationSize = IndexOfObservationSize(unframed);
        // Before the observation size: spec presence (1), extension count (4), problem presence (1).
        var cut = format switch { 3 => 1, 2 => 5, 1 => 6, _ => throw new ArgumentOutOfRangeException(nameof(format)) };
        byte[] earlier = [.. unframed[..(observationSize - cut)], .. unframed[observationSize..]];
        BitConverter.GetBytes(format).CopyTo(earlier, PolicyBlob.Magic.Length);
        return earlier;
    }

    /// <summary>A format-4 blob without its frame: magic, version 4, the body (not readable as is; for byte surgery, then <see cref="Resealed"/>).</summary>
    static byte[] Unframed(byte[] current) =>
        [.. current[..(PolicyBlob.Magic.Length + 4)], .. current[PolicyBlob.BodyOffset..^PolicyBlob.ChecksumLength]];

    /// <summary>An unframed format-4 body framed again with a correct length and checksum, as a deliberate forger would.</summary>
    static byte[] Resealed(byte[] unframed)
    {
        var body = unframed[(PolicyBlob.Magic.Length + 4)..];
        byte[] framed = [.. unframed[..PolicyBlob.Magic.Length], .. BitConverter.GetBytes(4), .. BitConverter.GetBytes(body.Length), .. body];
        return [.. framed, .. System.Security.Cryptography.SHA256.HashData(framed)];
    }

    /// <summary>An unframed blob whose actor width list is replaced (the rest unchanged, so shapes no longer match).</summary>
    static byte[] WithActorWidths(byte[] formatTwo, int[] widths)
    {
        using var reader = new BinaryReader(new MemoryStream(formatTwo));
        reader.ReadBytes(7 + 4);
        SkipFixedSettings(reader);
        var start = (int)reader.BaseStream.Position;
        var n = reader.ReadInt32();
        var end = start + 4 + 4 * n;
        return [.. formatTwo[..start], .. BitConverter.GetBytes(widths.Length), .. widths.SelectMany(BitConverter.GetBytes), .. formatTwo[end..]];
    }

    static void SkipFixedSettings(BinaryReader reader)
    {
        reader.ReadDouble(); reader.ReadDouble(); reader.ReadDouble(); reader.ReadBoolean();
        reader.ReadDouble(); reader.ReadDouble(); reader.ReadDouble();
        reader.ReadDouble(); if (reader.ReadBoolean()) reader.ReadDouble(); reader.ReadDouble();
        reader.ReadInt32(); reader.ReadInt32();
    }

    static int IndexOfObservationSize(byte[] blob)
    {
        // Unframed format 4: magic (7) + version (4) + settings: 13 fields of fixed size plus two width lists; then the spec (here: absent, one byte), the extension count (0) and the problem (absent, one byte).
        using var reader = new BinaryReader(new MemoryStream(blob));
        reader.ReadBytes(7 + 4);
        SkipFixedSettings(reader);
        for (var list = 0; list < 2; list++) { var n = reader.ReadInt32(); for (var i = 0; i < n; i++) reader.ReadInt32(); }
        reader.ReadBoolean(); reader.ReadDouble(); reader.ReadBoolean(); reader.ReadDouble();
        reader.ReadBoolean(); if (reader.ReadBoolean()) reader.ReadDouble(); if (reader.ReadBoolean()) reader.ReadDouble(); reader.ReadDouble();
        Assert.False(reader.ReadBoolean());
        Assert.Equal(0, reader.ReadInt32()); // no extensions
        Assert.False(reader.ReadBoolean());  // no trained problem
        return (int)reader.BaseStream.Position;
    }
}
