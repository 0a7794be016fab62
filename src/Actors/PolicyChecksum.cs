using System.Security.Cryptography;

namespace Alrs.Actors;

/// <summary>SHA-256 of a policy blob as lowercase hex, the checksum carried by PolicyVersion.</summary>
public static class PolicyChecksum
{
    public static string Of(byte[] blob) => Convert.ToHexStringLower(SHA256.HashData(blob));

    public static bool Matches(byte[] blob, string checksum) =>
        string.Equals(Of(blob), checksum, StringComparison.OrdinalIgnoreCase);
}
