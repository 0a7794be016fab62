using System.Text.Json;
using Alrs.Learning.Data;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// Writes <c>data.json</c> beside a command's results: the data set a run used, where it came
/// from, its class count and input shape, the sizes of its three parts and how they were split,
/// and the per-channel normalisation its images were given (docs/run-directory.md).
/// </summary>
public static class DataRecord
{
    public const string FileName = "data.json";

    public static string Write(string directory, ChildProblem problem, DatasetSplits data)
    {
        var own = problem.OwnData;
        var record = new
        {
            dataset = problem.DatasetName,
            source = own is null ? "built-in" : own.FormatName,
            path = own?.Path ?? DataDirectory.InstallDirectory(problem.Dataset!, problem.DataDir),
            classes = data.Classes,
            input = new[] { data.Channels, data.Height, data.Width },
            architecture = problem.Network.Description,
            train = data.Train.Count,
            validation = data.Validation.Count,
            test = data.Test.Count,
            testPart = own is null ? "the official test set"
                : own.TestPath is { } testPath ? testPath
                : own.Format == OwnDataFormat.Idx && data.Test.Count > 0 && DatasetInfo.Locate(own.Path, DatasetInfo.TestImages) is { } t10k ? t10k
                : $"{own.TestFraction:0.###} of the samples, held out with seed {OwnDatasetLoader.TestSplitSeed}",
            validationPart = own is null ? $"{problem.ValidationSize} samples of the training set, held out with seed 0"
                : $"{own.ValidationFraction:0.###} of the rest, held out with seed 0",
            normalisation = data.Normalisation is { } n
                ? new { measured = own is not null, mean = n.Mean, std = n.Std }
                : null,
        };
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(record, new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
