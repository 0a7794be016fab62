namespace Alrs.Learning.Data;

/// <summary>
/// One data set split three ways: training, validation (held out of the training part,
/// deterministically for a seed) and test. <see cref="Classes"/> is the number of classes
/// the child's output layer has; <see cref="Normalisation"/> the per-channel constants the
/// images were normalised with (fixed for the built-in data sets, measured on the training
/// part for a data set of one's own).
/// </summary>
public sealed record DatasetSplits(string Name, ImageSet Train, ImageSet Validation, ImageSet Test, int Classes = DatasetInfo.BuiltInClasses,
    ChannelNormalisation? Normalisation = null) : IDisposable
{
    public int Channels => (int)Train.Images.shape[1];
    public int Height => (int)Train.Images.shape[2];
    public int Width => (int)Train.Images.shape[3];

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
