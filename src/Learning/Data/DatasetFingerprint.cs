using System.Security.Cryptography;
using static TorchSharp.torch;

namespace Alrs.Learning.Data;

/// <summary>
/// A SHA-256 over the tensors a child trains and is measured on (images and labels of the
/// training, validation and test splits, with their shapes), so whatever the data came from
/// (files, a split, a normalisation) two problems share a fingerprint only when a child sees
/// the same numbers. Costs a fraction of a second for MNIST.
/// </summary>
public static class DatasetFingerprint
{
    public static string Of(DatasetSplits data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var split in new[] { data.Train, data.Validation, data.Test })
            foreach (var tensor in new[] { split.Images, split.Labels })
                Append(hash, tensor);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static void Append(IncrementalHash hash, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.cpu().contiguous();
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{cpu.dtype}[{string.Join(",", cpu.shape)}]"));
        hash.AppendData(cpu.bytes);
    }
}
