namespace Alrs.Learning.Data;

/// <summary>
/// Reads a batch file of the official CIFAR-10 binary version (cifar-10-batches-bin): a
/// sequence of records of 1 label byte and 3072 pixel bytes (1024 red, 1024 green, 1024
/// blue, each 32×32 row-major). The record count follows from the file size, so subsets
/// in the same layout read unchanged.
/// </summary>
public static class Cifar10Reader
{
    public const int Channels = 3, Side = 32;
    public const int PixelBytes = Channels * Side * Side;
    public const int RecordBytes = 1 + PixelBytes;

    public static RawImages ReadBatch(string path)
    {
        byte[] file;
        try { file = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw DatasetException.For(path, "missing");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DatasetException.For(path, $"cannot be read: {e.Message}", e);
        }

        var count = CountRecords(path, file.LongLength);
        var pixels = new byte[(long)count * PixelBytes];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var record = i * RecordBytes;
            labels[i] = file[record];
            if (labels[i] >= DatasetInfo.BuiltInClasses)
                throw DatasetException.For(path, $"record {i} has label {labels[i]}, not a class in [0, {DatasetInfo.BuiltInClasses}); not a CIFAR-10 binary batch");
            // The record's planes are already (C, H, W): one block copy per image.
            Buffer.BlockCopy(file, record + 1, pixels, i * PixelBytes, PixelBytes);
        }
        return new RawImages(count, Channels, Side, Side, pixels, labels);
    }

    /// <summary>The number of records a batch file of <paramref name="length"/> bytes holds; throws unless whole.</summary>
    public static int CountRecords(string path, long length)
    {
        if (length == 0) throw DatasetException.For(path, "empty; expected records of 3073 bytes");
        if (length % RecordBytes != 0)
            throw DatasetException.For(path, $"size {length} bytes is not a multiple of the {RecordBytes}-byte CIFAR-10 record (1 label + {PixelBytes} pixels); truncated or not a CIFAR-10 binary batch");
        return (int)(length / RecordBytes);
    }
}
