using System.Buffers.Binary;
using System.IO.Compression;

namespace Alrs.Learning.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST, raw or gzip-compressed (recognised by
/// the gzip magic bytes). Checks the magic number, the dimensions and the exact length, so
/// a truncated or corrupt file fails with a message naming it instead of loading garbage.
/// </summary>
public static class IdxReader
{
    /// <summary>IDX magic: two zero bytes, type 0x08 (unsigned byte), number of dimensions.</summary>
    public const int ImagesMagic = 0x00000803, LabelsMagic = 0x00000801;

    /// <summary>Reads an images file and its labels file into one single-channel set whose labels are below <paramref name="classes"/>.</summary>
    public static RawImages ReadPair(string imagesPath, string labelsPath, int classes = DatasetInfo.BuiltInClasses)
    {
        var (imageShape, pixels) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != imageShape[0])
            throw DatasetException.For(labelsPath, $"holds {labels.Length} labels but {imagesPath} holds {imageShape[0]} images");
        var bad = Array.FindIndex(labels, l => l >= classes);
        if (bad >= 0) throw DatasetException.For(labelsPath, $"label {labels[bad]} of item {bad} is not a class in [0, {classes})");
        return new RawImages(imageShape[0], 1, imageShape[1], imageShape[2], pixels, labels);
    }

    /// <summary>Reads an IDX images file: its dimensions (N, rows, columns) and its pixels.</summary>
    public static (int[] Shape, byte[] Pixels) ReadImages(string path) => Read(path, ImagesMagic, "images", "pixel");

    /// <summary>Reads an IDX labels file: one byte per item.</summary>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic, "labels", "label").Data;

    /// <summary>Reads one IDX file of unsigned bytes; returns its dimensions and its data.</summary>
    static (int[] Shape, byte[] Data) Read(string path, int expectedMagic, string kind, string itemName)
    {
        Stream file;
        try { file = File.OpenRead(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw DatasetException.For(path, "missing");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DatasetException.For(path, $"cannot be read: {e.Message}", e);
        }

        using (file)
        {
            var compressed = IsGzip(file);
            if (!compressed && path.EndsWith(".gz", StringComparison.Ordinal))
                throw DatasetException.For(path, "named .gz but is not gzip-compressed");
            using var content = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
            var source = compressed ? "decompressed data has" : "file has";
            try
            {
                var shape = ReadHeader(content, path, expectedMagic, kind);
                var length = shape.Aggregate(1L, (product, d) => product * d);
                if (length > Array.MaxLength) throw DatasetException.For(path, $"header dimensions {Describe(shape)} are too large");
                var data = new byte[length];
                var read = ReadFully(content, data);
                if (read < length)
                    throw DatasetException.For(path, $"truncated: header says {Describe(shape)} = {length} {itemName} bytes, {source} {read}");
                var extra = CountRemaining(content);
                if (extra > 0)
                    throw DatasetException.For(path, $"{extra} unexpected bytes after the {length} {itemName} bytes of {Describe(shape)}");
                return (shape, data);
            }
            catch (InvalidDataException e)
            {
                throw DatasetException.For(path, $"corrupt gzip data: {e.Message}", e);
            }
        }
    }

    static int[] ReadHeader(Stream content, string path, int expectedMagic, string kind)
    {
        var expectedDimensions = expectedMagic & 0xFF;
        var header = new byte[4 + 4 * expectedDimensions];
        var read = ReadFully(content, header);
        if (read < 4) throw DatasetException.For(path, $"truncated: {read} bytes, too short for an IDX header");
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
            throw DatasetException.For(path, $"wrong magic number 0x{magic:X8}, expected 0x{expectedMagic:X8} (IDX {kind}); not an IDX {kind} file");
        if (read < header.Length) throw DatasetException.For(path, $"truncated inside the IDX header ({read} of {header.Length} bytes)");

        var shape = new int[expectedDimensions];
        for (var d = 0; d < shape.Length; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * d));
            if (shape[d] <= 0) throw DatasetException.For(path, $"dimension {d} in the header is {shape[d]}, must be positive");
        }
        return shape;
    }

    static bool IsGzip(Stream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    static int ReadFully(Stream stream, byte[] buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    static long CountRemaining(Stream stream)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0) total += n;
        return total;
    }

    static string Describe(int[] shape) => string.Join("×", shape);
}
