using Alrs.Learning.Data;
using Alrs.Learning.Networks;

namespace Alrs.Learning.Environments;

/// <summary>
/// The problem a policy was trained on: data set name, class count, input shape (C, H, W; 0 when
/// the process that trained did not load the data, as a cluster's learner) and the child
/// architecture with its layers. A policy blob records it, so an evaluation on another problem
/// says that it is a transfer.
/// </summary>
public sealed record TrainedProblem(string Dataset, int Classes, int Channels, int Height, int Width, string Architecture)
{
    public static TrainedProblem Of(DatasetSplits data, ChildArchitecture architecture) =>
        new(data.Name, data.Classes, data.Channels, data.Height, data.Width, architecture.Description);

    /// <summary>The first way <paramref name="other"/> differs from this problem, in words; null when it does not (an unknown shape matches any).</summary>
    public string? Difference(TrainedProblem other)
    {
        if (Dataset != other.Dataset) return $"data set {Dataset}, not {other.Dataset}";
        if (Architecture != other.Architecture) return $"architecture {Architecture}, not {other.Architecture}";
        var known = Channels > 0 && other.Channels > 0;
        if (known && Classes != other.Classes) return $"{Classes} classes, not {other.Classes}";
        if (known && (Channels, Height, Width) != (other.Channels, other.Height, other.Width)) return $"input {Shape}, not {other.Shape}";
        return null;
    }

    string Shape => $"{Channels}x{Height}x{Width}";

    public override string ToString() => Channels > 0 ? $"{Dataset} ({Classes} classes, input {Shape}) with {Architecture}" : $"{Dataset} with {Architecture}";
}
