namespace Alrs.Learning.Data;

/// <summary>
/// One data set split three ways: training, validation (held out of the official
/// training set, deterministically for a seed) and the official test set.
/// </summary>
public sealed record DatasetSplits(string Name, ImageSet Train, ImageSet Validation, ImageSet Test) : IDisposable
{
    public int Channels => (int)Train.Images.shape[1];
    public int Height => (int)Train.Images.shape[2];
    public int Width => (int)Train.Images.shape[3];
    public const int Classes = 10;

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
