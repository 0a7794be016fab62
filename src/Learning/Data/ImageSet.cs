using static TorchSharp.torch;

namespace Alrs.Learning.Data;

/// <summary>
/// A set of labelled images held as tensors: <see cref="Images"/> is float32
/// (N, C, H, W), normalised per channel; <see cref="Labels"/> is int64 (N) in [0, 10).
/// Owns its tensors.
/// </summary>
public sealed class ImageSet : IDisposable
{
    public ImageSet(Tensor images, Tensor labels)
    {
        if (images.dim() != 4) throw new ArgumentException($"images must be (N, C, H, W), got {images.dim()} dimensions");
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"labels must be (N) with N = {images.shape[0]}, got shape [{string.Join(", ", labels.shape)}]");
        Images = images;
        Labels = labels;
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }
    public int Count => (int)Images.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
