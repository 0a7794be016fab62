using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Alrs.Learning.Environments;
using Alrs.Learning.Rl;
using static TorchSharp.torch;

namespace Alrs.Learning.Ppo;

/// <summary>
/// The policy blob: everything a <see cref="PpoAgent"/> needs to act and to resume learning,
/// little-endian, in this order:
/// <list type="number">
/// <item>magic "ALRSPOL" (7 ASCII bytes), format version (int32, currently 4);</item>
/// <item>format 4 on: the body's length in bytes (int32); the body is the rest up to the checksum;</item>
/// <item>settings, field by field (see <see cref="WriteSettings"/>);</item>
/// <item>format 2 on: the controller spec (presence flag, then observation, progress flag, action,
/// action factor, reward; see <see cref="WriteSpec"/>);</item>
/// <item>format 3 on: extensions, a count (int32) then key/value string pairs, for settings added
/// after format 2 (<see cref="Extensions"/>); a key this build does not know is refused;</item>
/// <item>format 4 on: the problem it was trained on (presence flag, then data set, classes,
/// channels, height, width, architecture; see <see cref="WriteProblem"/>);</item>
/// <item>observation size (int32); action space: discrete (bool), size (int32), low, high (float32);</item>
/// <item>seed (int32), updates so far (int64);</item>
/// <item>parameter count (int32), then per parameter: rank (int32), dims (int64 each), values (float32);
/// order: actor layers (weight, bias), the learnable log-std if any, critic layers;</item>
/// <item>observation statistics and return statistics: count, then means, then variances (float64);</item>
/// <item>Adam: steps (int64), then first and second moments of each parameter (float32, same order and shapes);</item>
/// <item>format 4 on: SHA-256 of every byte before it (32 bytes).</item>
/// </list>
/// Acting needs only the first parts; the Adam state is included so that one blob also
/// resumes the learner exactly. Nothing may follow.
/// </summary>
/// <remarks>
/// A blob is untrusted input (a file from elsewhere, a message off the network): reading
/// checks the checksum first (format 4), then the settings and shapes, and refuses a blob
/// whose declared networks need more bytes than it holds before any network is built, so a
/// few hundred crafted bytes cannot ask for gigabytes. Every weight, moment and statistic
/// must be finite. The checksum catches accidents (a flipped bit, a torn copy); it is no
/// signature: whoever writes a blob can compute it.
/// </remarks>
public static class PolicyBlob
{
    public const string Magic = "ALRSPOL";
    public const int FormatVersion = 4;
    /// <summary>Bound on the extension count, so a corrupt blob cannot ask for many strings.</summary>
    const int MaxExtensions = 64;
    /// <summary>Formats 1 (no controller spec), 2 (no extensions) and 3 (no length, no checksum, no trained problem) are still read.</summary>
    const int FirstFormat = 1;
    /// <summary>Bound on any width read back, so a corrupt blob cannot ask for a huge allocation.</summary>
    const int MaxSize = 1 << 16;
    /// <summary>Bytes of the SHA-256 that ends a format-4 blob.</summary>
    public const int ChecksumLength = 32;
    /// <summary>Where a format-4 body starts: magic, version, body length.</summary>
    public const int BodyOffset = 7 + 4 + 4;

    public static byte[] Write(PpoAgent agent)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.ASCII, leaveOpen: true))
            WriteBody(writer, agent);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(FormatVersion);
            writer.Write(checked((int)body.Length));
            writer.Write(body.GetBuffer(), 0, (int)body.Length);
        }
        stream.Write(SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
        return stream.ToArray();
    }

    static void WriteBody(BinaryWriter writer, PpoAgent agent)
    {
        WriteSettings(writer, agent.Settings);
        WriteSpec(writer, agent.Spec);
        var extensions = Extensions.Write(agent.Settings, agent.Spec);
        writer.Write(extensions.Count);
        foreach (var (key, value) in extensions) { writer.Write(key); writer.Write(value); }
        WriteProblem(writer, agent.Problem);
        writer.Write(agent.ObservationSize);
        writer.Write(agent.ActionSpace.IsDiscrete);
        writer.Write(agent.ActionSpace.Size);
        writer.Write(agent.ActionSpace.Low);
        writer.Write(agent.ActionSpace.High);
        writer.Write(agent.Seed);
        writer.Write(agent.Updates);
        WriteLearnedState(writer, agent);
    }

    /// <summary>
    /// The part of an agent's blob that learning produced: parameters (with their shapes),
    /// observation and return statistics, Adam steps and moments, in the blob's own encoding.
    /// Two agents with equal learned state act alike (what a population-based-training exploit
    /// copies; the settings and seed around it may differ).
    /// </summary>
    public static byte[] LearnedState(PpoAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
            WriteLearnedState(writer, agent);
        return stream.ToArray();
    }

    static void WriteLearnedState(BinaryWriter writer, PpoAgent agent)
    {
        writer.Write(agent.Parameters.Count);
        foreach (var parameter in agent.Parameters)
        {
            writer.Write(parameter.shape.Length);
            foreach (var dim in parameter.shape) writer.Write(dim);
            WriteValues(writer, parameter);
        }
        WriteStatistics(writer, agent.ObservationStatistics);
        WriteStatistics(writer, agent.ReturnStatistics);
        writer.Write(agent.Optimizer.Steps);
        foreach (var moment in agent.Optimizer.FirstMoments.Concat(agent.Optimizer.SecondMoments))
            WriteValues(writer, moment);
    }

    public static PpoAgent Read(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Length < Magic.Length || !blob.AsSpan(0, Magic.Length).SequenceEqual(Encoding.ASCII.GetBytes(Magic)))
            throw new InputException($"not an alrs policy blob: it does not start with \"{Magic}\" ({blob.Length} bytes)");
        if (blob.Length < Magic.Length + 4) throw new InputException($"policy blob is truncated ({blob.Length} bytes)");
        var version = BitConverter.ToInt32(blob, Magic.Length);
        if (version is < FirstFormat or > FormatVersion)
            throw new InputException($"policy blob format version {version} is not supported (this build reads versions {FirstFormat} to {FormatVersion})");
        var (bodyStart, bodyLength) = version >= 4 ? CheckedBody(blob) : (Magic.Length + 4, blob.Length - Magic.Length - 4);
        using var reader = new BinaryReader(new MemoryStream(blob, bodyStart, bodyLength, writable: false), Encoding.ASCII);
        PpoAgent? agent = null;
        try
        {
            var settings = ReadSettings(reader);
            var spec = version >= 2 ? ReadSpec(reader) : null;
            if (version >= 3)
            {
                var extensionCount = reader.ReadInt32();
                if (extensionCount is < 0 or > MaxExtensions) throw new InputException($"policy blob lists {extensionCount} extensions: corrupt");
                var extensions = Enumerable.Range(0, extensionCount).Select(_ => (reader.ReadString(), reader.ReadString())).ToArray();
                (settings, spec) = Extensions.Read(extensions, settings, spec);
            }
            var problem = version >= 4 ? ReadProblem(reader) : null;
            var observationSize = reader.ReadInt32();
            var actionSpace = new ActionSpace(reader.ReadBoolean(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle());
            if (observationSize is < 1 or > MaxSize || actionSpace.Size is < 1 or > MaxSize)
                throw new InputException($"policy blob has implausible shapes (observation {observationSize}, actions {actionSpace.Size}): corrupt");
            var seed = reader.ReadInt32();
            var updates = reader.ReadInt64();
            if (updates < 0) throw new InputException($"policy blob records {updates} updates: corrupt");
            // Before any tensor exists: the values the settings imply must be there.
            var values = ParameterValues(settings, observationSize, actionSpace);
            var remaining = bodyLength - reader.BaseStream.Position;
            if (values > remaining / (3 * sizeof(float)))
                throw new InputException(string.Create(CultureInfo.InvariantCulture,
                    $"policy blob is truncated or corrupt: its settings declare {values:N0} parameters ({3 * values * (double)sizeof(float):N0} bytes with the optimizer state) but only {remaining:N0} bytes follow"));

            agent = new PpoAgent(settings, observationSize, actionSpace, seed) { Updates = updates, Spec = spec, Problem = problem };
            var count = reader.ReadInt32();
            if (count != agent.Parameters.Count)
                throw new InputException($"policy blob holds {count} parameter tensors, its settings imply {agent.Parameters.Count}");
            using (no_grad())
            {
                for (var i = 0; i < count; i++)
                {
                    var rank = reader.ReadInt32();
                    var shape = Enumerable.Range(0, Math.Clamp(rank, 0, 8)).Select(_ => reader.ReadInt64()).ToArray();
                    if (!shape.SequenceEqual(agent.Parameters[i].shape))
                        throw new InputException(
                            $"policy blob parameter {i} has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", agent.Parameters[i].shape)}]");
                    ReadValues(reader, agent.Parameters[i], $"parameter {i}");
                }
                agent.ObservationStatistics = ReadStatistics(reader, observationSize, "observation statistics");
                agent.ReturnStatistics = ReadStatistics(reader, 1, "return statistics");
                agent.Optimizer.Steps = reader.ReadInt64();
                if (agent.Optimizer.Steps < 0) throw new InputException($"policy blob records {agent.Optimizer.Steps} optimizer steps: corrupt");
                var moments = agent.Optimizer.FirstMoments.Concat(agent.Optimizer.SecondMoments).ToArray();
                for (var i = 0; i < moments.Length; i++)
                    ReadValues(reader, moments[i], $"optimizer moment {i}", nonNegative: i >= moments.Length / 2);
            }
            if (reader.BaseStream.Position != bodyLength)
                throw new InputException($"policy blob has {bodyLength - reader.BaseStream.Position} unexpected trailing bytes");
            return agent;
        }
        catch (EndOfStreamException e)
        {
            agent?.Dispose();
            throw new InputException($"policy blob is truncated ({blob.Length} bytes)", e);
        }
        catch
        {
            agent?.Dispose();
            throw;
        }
    }

    /// <summary>Format 4's framing: the body's declared length must be what is there, and its checksum must match.</summary>
    static (int Start, int Length) CheckedBody(byte[] blob)
    {
        if (blob.Length < BodyOffset) throw new InputException($"policy blob is truncated ({blob.Length} bytes)");
        var length = BitConverter.ToInt32(blob, Magic.Length + 4);
        var expected = BodyOffset + (long)length + ChecksumLength;
        if (length < 0 || expected > blob.Length)
            throw new InputException($"policy blob is truncated: it declares {expected:N0} bytes and holds {blob.Length:N0}");
        if (expected < blob.Length)
            throw new InputException($"policy blob has {blob.Length - expected} unexpected trailing bytes");
        var sum = SHA256.HashData(blob.AsSpan(0, BodyOffset + length));
        if (!sum.AsSpan().SequenceEqual(blob.AsSpan(BodyOffset + length, ChecksumLength)))
            throw new InputException("policy blob is corrupt: its SHA-256 checksum does not match its contents");
        return (BodyOffset, length);
    }

    /// <summary>Values (float32) of all parameters the settings imply: actor, log-std, critic. Long arithmetic: crafted widths cannot overflow it.</summary>
    static long ParameterValues(PpoSettings settings, int observationSize, ActionSpace actionSpace)
    {
        static long Mlp(int inputs, IReadOnlyList<int> hidden, int outputs)
        {
            var sizes = new[] { inputs }.Concat(hidden).Append(outputs).ToArray();
            long total = 0;
            for (var layer = 0; layer < sizes.Length - 1; layer++) total += (long)sizes[layer] * sizes[layer + 1] + sizes[layer + 1];
            return total;
        }
        var logStd = !actionSpace.IsDiscrete && settings.FixedStd is null ? 1 : 0;
        return Mlp(observationSize, settings.ActorHidden, actionSpace.IsDiscrete ? actionSpace.Size : 1) + logStd + Mlp(observationSize, settings.CriticHidden, 1);
    }

    /// <summary>Every setting in declaration order; nullable values as a presence flag then the value.</summary>
    static void WriteSettings(BinaryWriter w, PpoSettings s)
    {
        w.Write(s.Gamma); w.Write(s.Lambda); w.Write(s.ClipCoefficient); w.Write(s.ClipValueLoss);
        w.Write(s.EntropyCoefficient); w.Write(s.ValueCoefficient); w.Write(s.MaxGradNorm);
        w.Write(s.LearningRate); WriteOptional(w, s.CriticLearningRate); w.Write(s.AdamEpsilon);
        w.Write(s.Minibatches); w.Write(s.Epochs);
        WriteWidths(w, s.ActorHidden); WriteWidths(w, s.CriticHidden);
        w.Write(s.NormalizeObservations); w.Write(s.ObservationClip); w.Write(s.NormalizeRewards); w.Write(s.RewardClip);
        w.Write(s.NormalizeAdvantages); WriteOptional(w, s.TargetKl); WriteOptional(w, s.FixedStd); w.Write(s.InitialStd);
    }

    static PpoSettings ReadSettings(BinaryReader r) => new()
    {
        Gamma = ReadFinite(r), Lambda = ReadFinite(r), ClipCoefficient = ReadFinite(r), ClipValueLoss = r.ReadBoolean(),
        EntropyCoefficient = ReadFinite(r), ValueCoefficient = ReadFinite(r), MaxGradNorm = ReadFinite(r),
        LearningRate = ReadFinite(r), CriticLearningRate = ReadOptional(r), AdamEpsilon = ReadFinite(r),
        Minibatches = r.ReadInt32(), Epochs = r.ReadInt32(),
        ActorHidden = ReadWidths(r), CriticHidden = ReadWidths(r),
        NormalizeObservations = r.ReadBoolean(), ObservationClip = ReadFinite(r), NormalizeRewards = r.ReadBoolean(), RewardClip = ReadFinite(r),
        NormalizeAdvantages = r.ReadBoolean(), TargetKl = ReadOptional(r), FixedStd = ReadOptional(r), InitialStd = ReadFinite(r),
    };

    static double ReadFinite(BinaryReader r) =>
        r.ReadDouble() is var value && double.IsFinite(value) ? value : throw new InputException("policy blob holds a non-finite PPO setting (NaN or ±Inf): corrupt");

    static void WriteSpec(BinaryWriter w, ControllerSpec? spec)
    {
        w.Write(spec is not null);
        if (spec is null) return;
        w.Write(spec.Observation); w.Write(spec.ObserveProgress); w.Write(spec.Action); w.Write(spec.ActionFactor); w.Write((int)spec.Reward);
    }

    static ControllerSpec? ReadSpec(BinaryReader r)
    {
        if (!r.ReadBoolean()) return null;
        var spec = new ControllerSpec(r.ReadString(), r.ReadBoolean(), r.ReadString(), r.ReadDouble(), (RewardMode)r.ReadInt32());
        if (!ObservationFeatures.Kinds.Contains(spec.Observation) || !ActionMappings.Kinds.Contains(spec.Action) || !Enum.IsDefined(spec.Reward))
            throw new InputException($"policy blob records an unknown controller spec ({spec}): corrupt or from a newer alrs");
        return spec;
    }

    /// <summary>
    /// Settings added after format 2, as key/value strings: a setting at its old default is not
    /// written, so a blob whose controller format 2 could describe reads the same way.
    /// </summary>
    static class Extensions
    {
        const string AdvantageScopeKey = "ppo.advantage-scope", AnnealUpdatesKey = "ppo.anneal-updates",
            AnnealEntropyKey = "ppo.anneal-entropy", ResidualBaseKey = "env.residual-base",
            ResidualCapKey = "env.residual-cap";

        public static IReadOnlyList<(string Key, string Value)> Write(PpoSettings settings, ControllerSpec? spec)
        {
            var entries = new List<(string, string)>();
            if (settings.AdvantageScope != AdvantageScope.Minibatch) entries.Add((AdvantageScopeKey, settings.AdvantageScope.ToString()));
            if (settings.AnnealUpdates is { } n) entries.Add((AnnealUpdatesKey, n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (settings.AnnealEntropy) entries.Add((AnnealEntropyKey, "on"));
            if (spec is { ResidualBase.Length: > 0 }) entries.Add((ResidualBaseKey, spec.ResidualBase));
            if (spec is { ResidualCap: { } cap }) entries.Add((ResidualCapKey, cap.ToString()));
            return entries;
        }

        public static (PpoSettings, ControllerSpec?) Read(IEnumerable<(string Key, string Value)> entries, PpoSettings settings, ControllerSpec? spec)
        {
            foreach (var (key, value) in entries)
            {
                switch (key)
                {
                    case AdvantageScopeKey when Enum.TryParse<AdvantageScope>(value, out var scope) && Enum.IsDefined(scope):
                        settings = settings with { AdvantageScope = scope };
                        break;
                    case AnnealUpdatesKey when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0:
                        settings = settings with { AnnealUpdates = n };
                        break;
                    case AnnealEntropyKey when value == "on":
                        settings = settings with { AnnealEntropy = true };
                        break;
                    case ResidualBaseKey when spec is { Action: ActionMappings.Residual } && value.Length > 0:
                        spec = spec with { ResidualBase = value };
                        break;
                    case ResidualCapKey when spec is { Action: ActionMappings.Residual } && TryCap(value) is { IsNone: false } cap:
                        spec = spec with { ResidualCap = cap };
                        break;
                    default:
                        throw new InputException($"policy blob has an unknown or invalid setting {key} = {value}: corrupt or from a newer alrs");
                }
            }
            if (spec is { Action: ActionMappings.Residual, ResidualBase.Length: 0 })
                throw new InputException("policy blob records a residual action without its base schedule: corrupt");
            return (settings, spec);
        }

        static ResidualCap? TryCap(string value)
        {
            try { return ResidualCap.Parse(value); }
            catch (InputException) { return null; }
        }
    }

    static void WriteProblem(BinaryWriter w, TrainedProblem? problem)
    {
        w.Write(problem is not null);
        if (problem is null) return;
        w.Write(problem.Dataset); w.Write(problem.Classes); w.Write(problem.Channels); w.Write(problem.Height); w.Write(problem.Width); w.Write(problem.Architecture);
    }

    static TrainedProblem? ReadProblem(BinaryReader r)
    {
        if (!r.ReadBoolean()) return null;
        var problem = new TrainedProblem(r.ReadString(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadString());
        if (problem.Classes is < 0 or > MaxSize || problem.Channels is < 0 or > MaxSize || problem.Height is < 0 or > MaxSize || problem.Width is < 0 or > MaxSize)
            throw new InputException($"policy blob records an implausible problem ({problem}): corrupt");
        return problem;
    }

    static void WriteOptional(BinaryWriter w, double? value)
    {
        w.Write(value.HasValue);
        if (value is { } v) w.Write(v);
    }

    static double? ReadOptional(BinaryReader r) => r.ReadBoolean() ? ReadFinite(r) : null;

    static void WriteWidths(BinaryWriter w, IReadOnlyList<int> widths)
    {
        w.Write(widths.Count);
        foreach (var width in widths) w.Write(width);
    }

    static int[] ReadWidths(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count is < 0 or > 64) throw new InputException($"policy blob lists {count} hidden layers: corrupt");
        var widths = Enumerable.Range(0, count).Select(_ => r.ReadInt32()).ToArray();
        if (widths.Any(width => width is < 1 or > MaxSize)) throw new InputException($"policy blob has a hidden width outside [1, {MaxSize}]: corrupt");
        return widths;
    }

    static void WriteValues(BinaryWriter w, Tensor t)
    {
        foreach (var value in t.data<float>()) w.Write(value);
    }

    static void ReadValues(BinaryReader r, Tensor target, string what, bool nonNegative = false)
    {
        var values = new float[target.numel()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadSingle();
            if (!float.IsFinite(values[i]) || (nonNegative && values[i] < 0))
                throw new InputException($"policy blob {what} holds {(float.IsFinite(values[i]) ? "a negative second moment" : "a non-finite value (NaN or ±Inf)")}: corrupt");
        }
        using var loaded = tensor(values, target.shape);
        target.copy_(loaded);
    }

    static void WriteStatistics(BinaryWriter w, RunningMeanStd s)
    {
        w.Write(s.Count);
        foreach (var m in s.Mean) w.Write(m);
        foreach (var v in s.Variance) w.Write(v);
    }

    static RunningMeanStd ReadStatistics(BinaryReader r, int size, string what)
    {
        var count = r.ReadDouble();
        var mean = Enumerable.Range(0, size).Select(_ => r.ReadDouble()).ToArray();
        var variance = Enumerable.Range(0, size).Select(_ => r.ReadDouble()).ToArray();
        if (!(double.IsFinite(count) && count > 0) || !mean.All(double.IsFinite) || !variance.All(v => double.IsFinite(v) && v >= 0))
            throw new InputException($"policy blob {what} hold a non-finite or negative value (count {count}): corrupt");
        return new RunningMeanStd(mean, variance, count);
    }
}
