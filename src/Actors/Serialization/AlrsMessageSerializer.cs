using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Alrs.Messages;

namespace Alrs.Actors.Serialization;

/// <summary>
/// The wire format of the messages that cross nodes (bound in hocon/cluster.hocon): a short
/// string manifest names the type, the payload is hand-written with BinaryWriter
/// (little-endian, length-prefixed UTF-8 strings) behind a <see cref="FormatVersion"/> byte,
/// so a node refuses bytes from an incompatible build with a clear error instead of misreading
/// them. Observations and policy blobs travel as raw floats and bytes, not JSON text.
/// </summary>
public sealed class AlrsMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>First byte of every payload; bump it when a layout below changes.</summary>
    public const byte FormatVersion = 4;

    /// <summary>Akka reserves 0-40 for its own serializers.</summary>
    public override int Identifier => 4242;

    /// <summary>Manifest → reader. Every type here is bound in hocon/cluster.hocon.</summary>
    static readonly Dictionary<string, Func<BinaryReader, object>> Readers = new()
    {
        ["tf"] = ReadFragment,
        ["ack"] = r => new FragmentAck(r.ReadString(), r.ReadInt64(), r.ReadInt32()),
        ["gap"] = r => new FragmentGap(r.ReadString(), r.ReadInt64(), r.ReadInt32()),
        ["es"] = r => new EpisodeSummary(r.ReadString(), r.ReadInt64(), r.ReadInt64(), r.ReadDouble(), r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadBoolean(), r.ReadInt32()),
        ["pv"] = r => new PolicyVersion(r.ReadInt64(), ReadBytes(r), r.ReadString(), r.ReadInt32()),
        ["reg"] = r => new RegisterEnvironment(r.ReadString()),
        ["ef"] = r => new EnvironmentFailed(r.ReadString(), r.ReadInt64(), r.ReadString()),
        ["est"] = r => new EnvironmentStopped(r.ReadString(), r.ReadInt32(), r.ReadString()),
        ["gls"] = _ => GetLearnerStatus.Instance,
        ["ls"] = r => ReadLearnerStatus(r, nested: false),
        ["wnl"] = r => new WorkerNodeLost(r.ReadString(), r.ReadString()),
        ["scale"] = r => new ScaleEnvironments(r.ReadInt32()),
        ["grs"] = _ => GetRolloutStatus.Instance,
        ["rs"] = r => new RolloutStatus(ReadStrings(r), ReadStrings(r), ReadStrings(r), r.ReadInt32()),
        ["gs"] = _ => GetStatus.Instance,
        ["envs"] = r => new EnvironmentStatus(r.ReadString(), r.ReadInt64(), r.ReadInt32(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32()),
        ["fault"] = r => new InjectFault(r.ReadString()),
        ["rpr"] = r => new RegisterPolicyRelay(r.ReadInt64(), ReadOptionalLongs(r)),
        ["gspec"] = _ => GetLearnerSpec.Instance,
        ["spec"] = r => new LearnerSpec(r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString()),
        ["ac"] = r => new AssignController(r.ReadInt32()),
    };

    public override string Manifest(object o) => o switch
    {
        TrajectoryFragment => "tf",
        FragmentAck => "ack",
        FragmentGap => "gap",
        EpisodeSummary => "es",
        PolicyVersion => "pv",
        RegisterEnvironment => "reg",
        EnvironmentFailed => "ef",
        EnvironmentStopped => "est",
        GetLearnerStatus => "gls",
        LearnerStatus => "ls",
        WorkerNodeLost => "wnl",
        ScaleEnvironments => "scale",
        GetRolloutStatus => "grs",
        RolloutStatus => "rs",
        GetStatus => "gs",
        EnvironmentStatus => "envs",
        InjectFault => "fault",
        RegisterPolicyRelay => "rpr",
        GetLearnerSpec => "gspec",
        LearnerSpec => "spec",
        AssignController => "ac",
        _ => throw new ArgumentException($"{nameof(AlrsMessageSerializer)} cannot serialize {o.GetType().FullName}", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(FormatVersion);
            Write(w, obj);
        }
        return buffer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Readers.TryGetValue(manifest, out var read))
            throw new SerializationException($"{nameof(AlrsMessageSerializer)}: unknown manifest '{manifest}' (a node of another alrs version?)");
        if (bytes.Length == 0 || bytes[0] != FormatVersion)
            throw new SerializationException(
                $"{nameof(AlrsMessageSerializer)}: '{manifest}' has format version {(bytes.Length == 0 ? "(empty)" : bytes[0])}, this node reads {FormatVersion}: every node of a cluster must run the same alrs build");
        using var r = new BinaryReader(new MemoryStream(bytes, 1, bytes.Length - 1), Encoding.UTF8);
        try
        {
            return read(r);
        }
        catch (EndOfStreamException e)
        {
            throw new SerializationException($"{nameof(AlrsMessageSerializer)}: '{manifest}' payload of {bytes.Length} bytes is truncated", e);
        }
    }

    static void Write(BinaryWriter w, object o)
    {
        switch (o)
        {
            case TrajectoryFragment f:
                w.Write(f.EnvironmentId); w.Write(f.EpisodeId); w.Write(f.Sequence); w.Write(f.PolicyVersion);
                w.Write(f.BootstrapValue); w.Write(f.EndsEpisode); w.Write(f.DiscountedReturnBefore); w.Write(f.Controller);
                w.Write(f.Decisions.Count);
                foreach (var d in f.Decisions)
                {
                    WriteFloats(w, d.Observation); WriteFloats(w, d.Action);
                    w.Write(d.LogProb); w.Write(d.Value); w.Write(d.Reward); w.Write(d.Done);
                }
                break;
            case FragmentAck a:
                w.Write(a.EnvironmentId); w.Write(a.EpisodeId); w.Write(a.Sequence);
                break;
            case FragmentGap g:
                w.Write(g.EnvironmentId); w.Write(g.EpisodeId); w.Write(g.Sequence);
                break;
            case EpisodeSummary s:
                w.Write(s.EnvironmentId); w.Write(s.EpisodeId); w.Write(s.PolicyVersion); w.Write(s.Return); w.Write(s.Decisions);
                w.Write(s.FinalValidationLoss); w.Write(s.FinalLearningRate); w.Write(s.Diverged); w.Write(s.Controller);
                break;
            case PolicyVersion p:
                w.Write(p.Version); w.Write(p.Blob.Length); w.Write(p.Blob); w.Write(p.Checksum); w.Write(p.Controller);
                break;
            case RegisterEnvironment r:
                w.Write(r.EnvironmentId);
                break;
            case EnvironmentFailed f:
                w.Write(f.EnvironmentId); w.Write(f.EpisodeId); w.Write(f.Reason);
                break;
            case EnvironmentStopped s:
                w.Write(s.EnvironmentId); w.Write(s.Failures); w.Write(s.Reason);
                break;
            case GetLearnerStatus or GetRolloutStatus or GetStatus or GetLearnerSpec:
                break;
            case LearnerStatus s:
                WriteLearnerStatus(w, s);
                break;
            case WorkerNodeLost l:
                w.Write(l.Address); w.Write(l.Reason);
                break;
            case ScaleEnvironments s:
                w.Write(s.Count);
                break;
            case RolloutStatus s:
                WriteStrings(w, s.Running); WriteStrings(w, s.Restarting); WriteStrings(w, s.Stopped); w.Write(s.Restarts);
                break;
            case EnvironmentStatus s:
                w.Write(s.EnvironmentId); w.Write(s.EpisodeId); w.Write(s.DecisionsInEpisode); w.Write(s.PolicyVersion);
                w.Write(s.EpisodesCompleted); w.Write(s.UnacknowledgedFragments);
                break;
            case InjectFault f:
                w.Write(f.Reason);
                break;
            case RegisterPolicyRelay r:
                w.Write(r.Version);
                w.Write(r.Versions is null ? -1 : r.Versions.Count);
                foreach (var v in r.Versions ?? []) w.Write(v);
                break;
            case AssignController a:
                w.Write(a.Controller);
                break;
            case LearnerSpec s:
                w.Write(s.Observation); w.Write(s.Action); w.Write(s.Dataset); w.Write(s.Architecture); w.Write(s.Reward);
                break;
            default:
                throw new ArgumentException($"{nameof(AlrsMessageSerializer)} cannot serialize {o.GetType().FullName}", nameof(o));
        }
    }

    static TrajectoryFragment ReadFragment(BinaryReader r)
    {
        var (environment, episode, sequence, version) = (r.ReadString(), r.ReadInt64(), r.ReadInt32(), r.ReadInt64());
        var (bootstrap, ends, returnBefore, controller) = (r.ReadSingle(), r.ReadBoolean(), r.ReadDouble(), r.ReadInt32());
        var decisions = new DecisionRecord[Count(r)];
        for (var i = 0; i < decisions.Length; i++)
            decisions[i] = new DecisionRecord(ReadFloats(r), ReadFloats(r), r.ReadSingle(), r.ReadSingle(), r.ReadSingle(), r.ReadBoolean());
        return new TrajectoryFragment(environment, episode, sequence, version, decisions, bootstrap, ends, returnBefore, controller);
    }

    /// <summary>A population's status holds its controllers' (one level: a controller's own list is refused, so nesting cannot run deep).</summary>
    static LearnerStatus ReadLearnerStatus(BinaryReader r, bool nested)
    {
        var (version, updates, rate, connected) = (r.ReadInt64(), r.ReadInt64(), r.ReadDouble(), r.ReadInt32());
        var returns = new double[Count(r)];
        for (var i = 0; i < returns.Length; i++) returns[i] = r.ReadDouble();
        var status = new LearnerStatus(version, updates, rate, connected, returns,
            r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(),
            r.ReadInt64(), r.ReadInt64(), r.ReadString(), r.ReadInt32(), Variant: r.ReadString(), Hyperparameters: r.ReadString());
        var controllers = r.ReadInt32();
        if (controllers < 0) return status;
        if (nested) throw new SerializationException($"{nameof(AlrsMessageSerializer)}: a controller's status lists controllers of its own");
        if (controllers > r.BaseStream.Length - r.BaseStream.Position)
            throw new SerializationException($"{nameof(AlrsMessageSerializer)}: length prefix {controllers} exceeds the payload");
        var list = new LearnerStatus[controllers];
        for (var i = 0; i < list.Length; i++) list[i] = ReadLearnerStatus(r, nested: true);
        return status with { Controllers = list };
    }

    /// <summary>A status, then its controllers' statuses (-1 = none: a single learner's).</summary>
    static void WriteLearnerStatus(BinaryWriter w, LearnerStatus s)
    {
        w.Write(s.Version); w.Write(s.Updates); w.Write(s.DecisionsPerSecond); w.Write(s.EnvironmentsConnected);
        w.Write(s.RecentReturns.Count);
        foreach (var r in s.RecentReturns) w.Write(r);
        w.Write(s.Episodes); w.Write(s.FragmentsReceived); w.Write(s.DecisionsUsed); w.Write(s.BufferedDecisions);
        w.Write(s.DroppedStale); w.Write(s.Duplicates); w.Write(s.Discarded); w.Write(s.LostNodes);
        w.Write(s.Malformed); w.Write(s.Refused); w.Write(s.Store); w.Write(s.Controller); w.Write(s.Variant); w.Write(s.Hyperparameters);
        w.Write(s.Controllers is null ? -1 : s.Controllers.Count);
        foreach (var c in s.Controllers ?? []) WriteLearnerStatus(w, c);
    }

    /// <summary>A list written with a -1 count for null.</summary>
    static long[]? ReadOptionalLongs(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0) return null;
        if (count > r.BaseStream.Length - r.BaseStream.Position)
            throw new SerializationException($"{nameof(AlrsMessageSerializer)}: length prefix {count} exceeds the payload");
        var values = new long[count];
        for (var i = 0; i < count; i++) values[i] = r.ReadInt64();
        return values;
    }

    static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    static float[] ReadFloats(BinaryReader r)
    {
        var values = new float[Count(r)];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadSingle();
        return values;
    }

    static byte[] ReadBytes(BinaryReader r)
    {
        var count = Count(r);
        var bytes = r.ReadBytes(count);
        if (bytes.Length != count) throw new EndOfStreamException();
        return bytes;
    }

    static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values) w.Write(v);
    }

    static string[] ReadStrings(BinaryReader r)
    {
        var values = new string[Count(r)];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadString();
        return values;
    }

    /// <summary>A length prefix; a negative or absurd one means corrupt bytes, not an allocation.</summary>
    static int Count(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > r.BaseStream.Length - r.BaseStream.Position)
            throw new SerializationException($"{nameof(AlrsMessageSerializer)}: length prefix {count} exceeds the payload");
        return count;
    }
}
