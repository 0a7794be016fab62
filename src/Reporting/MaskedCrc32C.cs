using System.Numerics;

namespace Alrs.Reporting;

/// <summary>
/// CRC-32C (Castagnoli) as TFRecord files use it: masked, so that a CRC stored inside data
/// that is itself checksummed does not weaken the outer checksum.
/// </summary>
public static class MaskedCrc32C
{
    const uint MaskDelta = 0xa282ead8;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        // TFRecord's mask: rotate right by 15 bits, add a constant.
        return ((crc >> 15) | (crc << 17)) + MaskDelta;
    }
}
