namespace Alrs.Learning.Data;

/// <summary>How a data set of one's own is stored.</summary>
public enum OwnDataFormat
{
    /// <summary>One sample per line: numeric features and an integer class label column.</summary>
    Csv,
    /// <summary>A folder with MNIST's four IDX file names (the two t10k files optional).</summary>
    Idx,
    /// <summary>A folder with one sub-folder of PNG or JPEG images per class.</summary>
    ImageFolder,
}

/// <summary>What the first line of a CSV file is.</summary>
public enum CsvHeader
{
    /// <summary>The column names; the label column is named.</summary>
    Names,
    /// <summary>Not data and not names (scikit-learn's bundled files start with a line of counts): ignored.</summary>
    Skip,
    /// <summary>Data from the first line on.</summary>
    None,
}

/// <summary>
/// The layout of a CSV data set: its first line, the label column (a name from the header, a
/// 0-based column number, or <c>last</c>), and the field separator.
/// </summary>
public sealed record CsvLayout(CsvHeader Header = CsvHeader.Names, string LabelColumn = "label", char Separator = ',');

/// <summary>
/// How images of an image folder become tensors: <see cref="Size"/> 0 keeps the images' own
/// size (they must all have it), else every image is resized to Size × Size; 3 channels (RGB)
/// or 1 (grey).
/// </summary>
public sealed record ImageFolderLayout(int Size = 0, int Channels = 3);

/// <summary>
/// A data set of one's own, given by path (docs/own-problem.md). Its test part is
/// <see cref="TestPath"/> when given (for IDX: the folder's t10k files when present), else
/// <see cref="TestFraction"/> of the samples, held out deterministically; the validation part
/// is <see cref="ValidationFraction"/> of the rest, held out for the run's seed.
/// <see cref="Classes"/> 0 infers the class count: the largest training label + 1, or the
/// number of class folders.
/// </summary>
public sealed record OwnDataset(string Name, string Path, OwnDataFormat Format)
{
    public string? TestPath { get; init; }
    public double TestFraction { get; init; } = 0.2;
    public double ValidationFraction { get; init; } = 0.2;
    public int Classes { get; init; }
    public CsvLayout Csv { get; init; } = new();
    public ImageFolderLayout Images { get; init; } = new();

    public static readonly IReadOnlyList<string> FormatNames = ["csv", "idx", "image-folder"];

    public string FormatName => NameOf(Format);

    public static string NameOf(OwnDataFormat format) => format switch
    {
        OwnDataFormat.Csv => "csv",
        OwnDataFormat.Idx => "idx",
        OwnDataFormat.ImageFolder => "image-folder",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>A format as typed on the command line or in configuration; <paramref name="source"/> names it in the error.</summary>
    public static OwnDataFormat ParseFormat(string text, string source) => text.Trim().ToLowerInvariant() switch
    {
        "csv" => OwnDataFormat.Csv,
        "idx" => OwnDataFormat.Idx,
        "image-folder" => OwnDataFormat.ImageFolder,
        _ => throw new InputException($"{source}: unknown format '{text}' (known: {string.Join(", ", FormatNames)})"),
    };

    /// <summary>The name a data set gets when none is given: its file name without extension, or its folder's name.</summary>
    public static string DefaultName(string path) =>
        System.IO.Path.GetFileNameWithoutExtension(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path)));
}
