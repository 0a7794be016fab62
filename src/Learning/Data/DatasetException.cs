namespace Alrs.Learning.Data;

/// <summary>
/// A dataset file that is missing, truncated or corrupt. The message starts with the
/// file's path and says what is wrong with it.
/// </summary>
public sealed class DatasetException(string message, Exception? inner = null) : InputException(message, inner)
{
    public static DatasetException For(string path, string problem, Exception? inner = null) => new($"{path}: {problem}", inner);

    /// <summary>A problem on one line of a text file (1-based, as an editor counts).</summary>
    public static DatasetException AtLine(string path, int line, string problem) => new($"{path} line {line}: {problem}");
}
