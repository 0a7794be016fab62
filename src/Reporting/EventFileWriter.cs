using System.Buffers.Binary;
using Google.Protobuf;

namespace Alrs.Reporting;

/// <summary>
/// Appends TensorBoard events to one <c>events.out.tfevents.*</c> file in TFRecord framing:
/// uint64 length, masked CRC-32C of the length, the encoded event, masked CRC-32C of the
/// event. Every event is flushed so that TensorBoard sees a live run and a crash loses
/// nothing written. Thread-safe. Events are TensorBoard's own protobuf types, which
/// TorchSharp ships generated (namespace <c>Tensorboard</c>, on Google.Protobuf).
/// </summary>
/// <remarks>
/// Written by hand rather than with TorchSharp's SummaryWriter because that one stores wall
/// times in .NET ticks (TensorBoard expects Unix seconds), takes an int step, and reopens
/// the file for every scalar.
/// </remarks>
public sealed class EventFileWriter : IDisposable
{
    readonly FileStream file;
    readonly TimeProvider clock;
    readonly Lock gate = new();
    static int filesOpened;

    /// <summary>Creates a new event file in <paramref name="directory"/> and writes the file-version event.</summary>
    public EventFileWriter(string directory, TimeProvider? clock = null)
    {
        this.clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(directory);
        var now = this.clock.GetUtcNow().ToUnixTimeSeconds();
        // TensorBoard finds files by the "tfevents" in their name; host, pid and a counter keep writers apart.
        var name = $"events.out.tfevents.{now}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref filesOpened)}";
        Path = System.IO.Path.Combine(directory, name);
        file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        Write(new Tensorboard.Event { WallTime = WallTime(), FileVersion = "brain.Event:2" });
    }

    /// <summary>The event file being written.</summary>
    public string Path { get; }

    /// <summary>Writes one event holding every given scalar at <paramref name="step"/>.</summary>
    public void WriteScalars(long step, IReadOnlyList<ScalarValue> values)
    {
        var summary = new Tensorboard.Summary();
        foreach (var (tag, value) in values) summary.Value.Add(new Tensorboard.Summary.Types.Value { Tag = tag, SimpleValue = value });
        Write(new Tensorboard.Event { WallTime = WallTime(), Step = step, Summary = summary });
    }

    void Write(Tensorboard.Event e)
    {
        var data = e.ToByteArray();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)data.Length);
        Span<byte> crc = stackalloc byte[4];
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(!file.CanWrite, this);
            file.Write(length);
            BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C.Compute(length));
            file.Write(crc);
            file.Write(data);
            BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C.Compute(data));
            file.Write(crc);
            file.Flush();
        }
    }

    double WallTime() => clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    public void Dispose()
    {
        lock (gate) file.Dispose();
    }
}
