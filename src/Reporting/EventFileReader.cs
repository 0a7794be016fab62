using System.Buffers.Binary;
using Google.Protobuf;
using Alrs.Learning;

namespace Alrs.Reporting;

/// <summary>
/// Reads a TensorBoard event file written by <see cref="EventFileWriter"/> (or any TFRecord
/// event file holding scalar summaries), checking both CRCs of every record, and parses each
/// record with TorchSharp's generated <c>Tensorboard.Event</c>.
/// </summary>
public static class EventFileReader
{
    /// <exception cref="InputException">The file is truncated or a checksum does not match.</exception>
    public static IReadOnlyList<ScalarEvent> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<ScalarEvent>();
        var position = 0;
        while (position < bytes.Length)
        {
            if (bytes.Length - position < 12) throw Corrupt(path, position, "truncated record header");
            var header = bytes.AsSpan(position, 8);
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 8, 4)) != MaskedCrc32C.Compute(header))
                throw Corrupt(path, position, "length checksum mismatch");
            if (length > (ulong)(bytes.Length - position - 16)) throw Corrupt(path, position, "truncated record");
            var data = bytes.AsSpan(position + 12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 12 + (int)length, 4)) != MaskedCrc32C.Compute(data))
                throw Corrupt(path, position, "data checksum mismatch");
            Tensorboard.Event parsed;
            try
            {
                // The array overload: TorchSharp's generated code predates span-based (ParseContext) parsing.
                parsed = Tensorboard.Event.Parser.ParseFrom(bytes, position + 12, (int)length);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw Corrupt(path, position, e.Message);
            }
            events.Add(new ScalarEvent(parsed.WallTime, parsed.Step,
                parsed.WhatCase == Tensorboard.Event.WhatOneofCase.FileVersion ? parsed.FileVersion : null,
                parsed.Summary is { } summary ? [.. summary.Value.Select(v => new ScalarValue(v.Tag, v.SimpleValue))] : []));
            position += 16 + (int)length;
        }
        return events;
    }

    static InputException Corrupt(string path, int offset, string what) =>
        new($"event file {path} is corrupt at byte {offset}: {what}");
}
