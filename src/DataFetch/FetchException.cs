namespace Alrs.DataFetch;

/// <summary>
/// Acquiring a dataset failed for a reason outside the user's input: a tool is missing, the
/// source is unreachable, a download does not match its checksum. The CLI exits 1.
/// </summary>
public sealed class FetchException(string message, Exception? inner = null) : Exception(message, inner);
