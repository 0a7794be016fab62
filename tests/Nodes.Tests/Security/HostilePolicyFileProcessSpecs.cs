using System.Diagnostics;
using System.Security.Cryptography;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Tests.Cluster;
using Xunit.Abstractions;

namespace Alrs.Nodes.Tests.Security;

/// <summary>
/// Crafted policy files given to a real <c>alrs evaluate</c> process: each ends with exit 2
/// and one line, fast, before any dataset or network is touched.
/// </summary>
public sealed class HostilePolicyFileProcessSpecs(ITestOutputHelper output) : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-hostile-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string, string> Blobs => new()
    {
        { "huge-widths", "parameters" },
        { "truncated", "truncated" },
        { "nan-weight", "non-finite" },
        { "flipped-byte", "checksum does not match" },
    };

    [Theory]
    [MemberData(nameof(Blobs))]
    public void A_crafted_policy_file_ends_with_exit_2_and_one_line(string kind, string expected)
    {
        var path = Path.Combine(_scratch, kind + ".alrspol");
        File.WriteAllBytes(path, Crafted(kind));

        var clock = Stopwatch.StartNew();
        using var evaluate = new NodeProcess("evaluate", output, null, "evaluate", "--policy", path, "--out", Path.Combine(_scratch, "out"), "--no-fetch");
        var code = evaluate.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.Equal(CommandRouter.BadInput, code);
        var line = Assert.Single(evaluate.Lines);
        Assert.StartsWith("alrs evaluate: policy blob", line);
        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(Path.Combine(_scratch, "out")));
        output.WriteLine($"{kind}: {clock.Elapsed.TotalSeconds:F1} s for the whole process");
    }

    static byte[] Crafted(string kind)
    {
        using var agent = new PpoAgent(PpoSettings.Reimplementation, 3, ActionSpace.Discrete(3), seed: 1);
        var blob = agent.ToBlob();
        switch (kind)
        {
            case "huge-widths":
                return Resealed(WithActorWidths(blob, [1 << 16, 1 << 16]));
            case "truncated":
                return blob[..(blob.Length / 2)];
            case "nan-weight":
                // The first weight: after the settings, spec flag, extension count, problem flag, shapes, seed, updates, tensor count, rank and two dims.
                var body = blob.AsSpan(PolicyBlob.BodyOffset).ToArray();
                var first = SettingsEnd(body) + 1 + 4 + 1 + 4 + 1 + 4 + 4 + 4 + 4 + 8 + 4 + 4 + 16;
                BitConverter.GetBytes(float.NaN).CopyTo(blob, PolicyBlob.BodyOffset + first);
                return Resealed(blob);
            case "flipped-byte":
                blob[blob.Length / 3] ^= 0x01;
                return blob;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown crafted blob");
        }
    }

    /// <summary>The blob with a fresh length and checksum, as a deliberate forger would write it.</summary>
    static byte[] Resealed(byte[] blob)
    {
        var body = blob[PolicyBlob.BodyOffset..^PolicyBlob.ChecksumLength];
        byte[] framed = [.. blob[..(PolicyBlob.BodyOffset - 4)], .. BitConverter.GetBytes(body.Length), .. body];
        return [.. framed, .. SHA256.HashData(framed)];
    }

    /// <summary>The blob with its actor's hidden widths replaced (framing left for <see cref="Resealed"/>).</summary>
    static byte[] WithActorWidths(byte[] blob, int[] widths)
    {
        var start = PolicyBlob.BodyOffset + FixedSettingsLength(blob.AsSpan(PolicyBlob.BodyOffset).ToArray());
        var end = start + 4 + 4 * BitConverter.ToInt32(blob, start);
        return [.. blob[..start], .. BitConverter.GetBytes(widths.Length), .. widths.SelectMany(BitConverter.GetBytes), .. blob[end..]];
    }

    /// <summary>Bytes of the settings before the width lists (see PolicyBlob.WriteSettings).</summary>
    static int FixedSettingsLength(byte[] body)
    {
        using var r = new BinaryReader(new MemoryStream(body));
        r.ReadDouble(); r.ReadDouble(); r.ReadDouble(); r.ReadBoolean();
        r.ReadDouble(); r.ReadDouble(); r.ReadDouble();
        r.ReadDouble(); if (r.ReadBoolean()) r.ReadDouble(); r.ReadDouble();
        r.ReadInt32(); r.ReadInt32();
        return (int)r.BaseStream.Position;
    }

    /// <summary>Bytes of all settings (through InitialStd).</summary>
    static int SettingsEnd(byte[] body)
    {
        using var r = new BinaryReader(new MemoryStream(body));
        r.BaseStream.Position = FixedSettingsLength(body);
        for (var list = 0; list < 2; list++) { var n = r.ReadInt32(); for (var i = 0; i < n; i++) r.ReadInt32(); }
        r.ReadBoolean(); r.ReadDouble(); r.ReadBoolean(); r.ReadDouble();
        r.ReadBoolean(); if (r.ReadBoolean()) r.ReadDouble(); if (r.ReadBoolean()) r.ReadDouble(); r.ReadDouble();
        return (int)r.BaseStream.Position;
    }
}
