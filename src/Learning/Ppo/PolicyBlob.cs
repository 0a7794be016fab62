using System.Text;
using Alrs.Learning.Environments;
using Alrs.Learning.Rl;
using static TorchSharp.torch;

namespace Alrs.Learning.Ppo;

/// <summary>
/// The policy blob: everything a <see cref="PpoAgent"/> needs to act and to resume learning,
/// little-endian, in this order:
/// <list type="number">
/// <item>magic "ALRSPOL" (7 ASCII bytes), format version (int32, currently 3);</item>
/// <item>settings, field by field (see <see cref="WriteSettings"/>);</item>
/// <item>format 2 on: the controller spec (presence flag, then observation, progress flag, action,
/// action factor, reward; see <see cref="WriteSpec"/>);</item>
/// <item>format 3 on: the problem it was trained on (presence flag, then data set, classes,
/// channels, height, width, architecture; see <see cref="WriteProblem"/>);</item>
/// <item>observation size (int32); action space: discrete (bool), size (int32), low, high (float32);</item>
/// <item>seed (int32), updates so far (int64);</item>
/// <item>parameter count (int32), then per parameter: rank (int32), dims (int64 each), values (float32);
/// order: actor layers (weight, bias), the learnable log-std if any, critic layers;</item>
/// <item>observation statistics and return statistics: count, then means, then variances (float64);</item>
/// <item>Adam: steps (int64), then first and second moments of each parameter (float32, same order and shapes).</item>
/// </list>
/// Acting needs only the first six parts; the Adam state is included so that one blob also
/// resumes the learner exactly. Nothing may follow.
/// </summary>
public static class PolicyBlob
{
    public const string Magic = "ALRSPOL";
    public const int FormatVersion = 3;
    /// <summary>Format 1 (no controller spec) and 2 (no trained problem) are still read.</summary>
    const int FirstFormat = 1;
    /// <summary>Bound on any width read back, so a corrupt blob cannot ask for a huge allocation.</summary>
    const int MaxSize = 1 << 16;

    public static byte[] Write(PpoAgent agent)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(FormatVersion);
            WriteSettings(writer, agent.Settings);
            WriteSpec(writer, agent.Spec);
            WriteProblem(writer, agent.Problem);
            writer.Write(agent.ObservationSize);
            writer.Write(agent.ActionSpace.IsDiscrete);
            writer.Write(agent.ActionSpace.Size);
            writer.Write(agent.ActionSpace.Low);
            writer.Write(agent.ActionSpace.High);
            writer.Write(agent.Seed);
            writer.Write(agent.Updates);
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
        return stream.ToArray();
    }

    public static PpoAgent Read(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        using var reader = new BinaryReader(new MemoryStream(blob, writable: false), Encoding.ASCII);
        PpoAgent? agent = null;
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(Magic)))
                throw new InputException($"not an alrs policy blob: it does not start with \"{Magic}\" ({blob.Length} bytes)");
            var version = reader.ReadInt32();
            if (version is < FirstFormat or > FormatVersion)
                throw new InputException($"policy blob format version {version} is not supported (this build reads versions {FirstFormat} to {FormatVersion})");
            var settings = ReadSettings(reader);
            var spec = version >= 2 ? ReadSpec(reader) : null;
            var problem = version >= 3 ? ReadProblem(reader) : null;
            var observationSize = reader.ReadInt32();
            var actionSpace = new ActionSpace(reader.ReadBoolean(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle());
            if (observationSize is < 1 or > MaxSize || actionSpace.Size is < 1 or > MaxSize)
                throw new InputException($"policy blob has implausible shapes (observation {observationSize}, actions {actionSpace.Size}): corrupt");
            var seed = reader.ReadInt32();
            var updates = reader.ReadInt64();

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
                    ReadValues(reader, agent.Parameters[i]);
                }
                agent.ObservationStatistics = ReadStatistics(reader, observationSize);
                agent.ReturnStatistics = ReadStatistics(reader, 1);
                agent.Optimizer.Steps = reader.ReadInt64();
                foreach (var moment in agent.Optimizer.FirstMoments.Concat(agent.Optimizer.SecondMoments))
                    ReadValues(reader, moment);
            }
            if (reader.BaseStream.Position != blob.Length)
                throw new InputException($"policy blob has {blob.Length - reader.BaseStream.Position} unexpected trailing bytes");
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
        Gamma = r.ReadDouble(), Lambda = r.ReadDouble(), ClipCoefficient = r.ReadDouble(), ClipValueLoss = r.ReadBoolean(),
        EntropyCoefficient = r.ReadDouble(), ValueCoefficient = r.ReadDouble(), MaxGradNorm = r.ReadDouble(),
        LearningRate = r.ReadDouble(), CriticLearningRate = ReadOptional(r), AdamEpsilon = r.ReadDouble(),
        Minibatches = r.ReadInt32(), Epochs = r.ReadInt32(),
        ActorHidden = ReadWidths(r), CriticHidden = ReadWidths(r),
        NormalizeObservations = r.ReadBoolean(), ObservationClip = r.ReadDouble(), NormalizeRewards = r.ReadBoolean(), RewardClip = r.ReadDouble(),
        NormalizeAdvantages = r.ReadBoolean(), TargetKl = ReadOptional(r), FixedStd = ReadOptional(r), InitialStd = r.ReadDouble(),
    };

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

    static double? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadDouble() : null;

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

    static void ReadValues(BinaryReader r, Tensor target)
    {
        var values = new float[target.numel()];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadSingle();
        using var loaded = tensor(values, target.shape);
        target.copy_(loaded);
    }

    static void WriteStatistics(BinaryWriter w, RunningMeanStd s)
    {
        w.Write(s.Count);
        foreach (var m in s.Mean) w.Write(m);
        foreach (var v in s.Variance) w.Write(v);
    }

    static RunningMeanStd ReadStatistics(BinaryReader r, int size)
    {
        var count = r.ReadDouble();
        var mean = Enumerable.Range(0, size).Select(_ => r.ReadDouble()).ToArray();
        var variance = Enumerable.Range(0, size).Select(_ => r.ReadDouble()).ToArray();
        return new RunningMeanStd(mean, variance, count);
    }
}
