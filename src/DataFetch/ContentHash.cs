using System.IO.Compression;
using System.Security.Cryptography;

namespace Alrs.DataFetch;

/// <summary>Hashes of files: of the content (gunzipped when gzip-compressed), or of the bytes as stored.</summary>
public static class ContentHash
{
    /// <summary>SHA-256 (lower-case hex) of the file's content, decompressing gzip files.</summary>
    public static string Sha256OfContent(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        using var content = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    public static string Sha256OfFile(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public static string Md5OfFile(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(file));
    }
}
