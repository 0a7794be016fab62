using System.Buffers.Binary;
using System.Text;

namespace Alrs.Learning.Reporting;

/// <summary>
/// The few fields of TensorFlow's <c>Event</c> protobuf that scalar logging needs, encoded
/// and decoded by hand: Event { wall_time double = 1; step int64 = 2; file_version string = 3;
/// summary Summary = 5 }, Summary { repeated Value value = 1 }, Value { tag string = 1;
/// simple_value float = 2 }. Unknown fields are skipped when decoding.
/// </summary>
public static class EventProtobuf
{
    const int VarintWire = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    public static byte[] Encode(ScalarEvent e)
    {
        var output = new MemoryStream();
        WriteTag(output, 1, Fixed64);
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(eight, e.WallTime);
        output.Write(eight);
        if (e.Step != 0)
        {
            WriteTag(output, 2, VarintWire);
            WriteVarint(output, (ulong)e.Step);
        }
        if (e.FileVersion is { } version)
        {
            WriteTag(output, 3, LengthDelimited);
            WriteBytes(output, Encoding.UTF8.GetBytes(version));
        }
        if (e.Values.Count > 0)
        {
            var summary = new MemoryStream();
            Span<byte> four = stackalloc byte[4];
            foreach (var (tag, value) in e.Values)
            {
                var item = new MemoryStream();
                WriteTag(item, 1, LengthDelimited);
                WriteBytes(item, Encoding.UTF8.GetBytes(tag));
                WriteTag(item, 2, Fixed32);
                BinaryPrimitives.WriteSingleLittleEndian(four, value);
                item.Write(four);
                WriteTag(summary, 1, LengthDelimited);
                WriteBytes(summary, item.ToArray());
            }
            WriteTag(output, 5, LengthDelimited);
            WriteBytes(output, summary.ToArray());
        }
        return output.ToArray();
    }

    public static ScalarEvent Decode(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new List<ScalarValue>();
        var reader = new Reader(data.ToArray());
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.Tag();
            switch (field, wire)
            {
                case (1, Fixed64): wallTime = BinaryPrimitives.ReadDoubleLittleEndian(reader.Take(8)); break;
                case (2, VarintWire): step = (long)reader.Varint(); break;
                case (3, LengthDelimited): fileVersion = Encoding.UTF8.GetString(reader.Take((int)reader.Varint())); break;
                case (5, LengthDelimited): values.AddRange(DecodeSummary(reader.Take((int)reader.Varint()))); break;
                default: reader.Skip(wire); break;
            }
        }
        return new ScalarEvent(wallTime, step, fileVersion, values);
    }

    static List<ScalarValue> DecodeSummary(byte[] data)
    {
        var values = new List<ScalarValue>();
        var reader = new Reader(data);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == LengthDelimited) values.Add(DecodeValue(reader.Take((int)reader.Varint())));
            else reader.Skip(wire);
        }
        return values;
    }

    static ScalarValue DecodeValue(byte[] data)
    {
        var tag = "";
        var value = float.NaN;
        var reader = new Reader(data);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.Tag();
            switch (field, wire)
            {
                case (1, LengthDelimited): tag = Encoding.UTF8.GetString(reader.Take((int)reader.Varint())); break;
                case (2, Fixed32): value = BinaryPrimitives.ReadSingleLittleEndian(reader.Take(4)); break;
                default: reader.Skip(wire); break;
            }
        }
        return new ScalarValue(tag, value);
    }

    static void WriteTag(Stream output, int field, int wire) => WriteVarint(output, (ulong)((field << 3) | wire));

    static void WriteBytes(Stream output, byte[] bytes)
    {
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    /// <summary>Cursor over one encoded message; throws <see cref="InvalidDataException"/> when it runs past the end.</summary>
    sealed class Reader(byte[] data)
    {
        int position;

        public bool AtEnd => position >= data.Length;

        public (int Field, int Wire) Tag()
        {
            var key = Varint();
            return ((int)(key >> 3), (int)(key & 7));
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Take(1)[0];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }
            throw new InvalidDataException("malformed varint");
        }

        public byte[] Take(int count)
        {
            if (count < 0 || position + count > data.Length) throw new InvalidDataException("truncated protobuf message");
            var slice = data[position..(position + count)];
            position += count;
            return slice;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case VarintWire: Varint(); break;
                case Fixed64: Take(8); break;
                case LengthDelimited: Take((int)Varint()); break;
                case Fixed32: Take(4); break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wire}");
            }
        }
    }
}
