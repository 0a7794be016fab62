using System.Text;

namespace Alrs.Reporting;

/// <summary>
/// Writes a run directory's files whole: into a temporary file beside the target, flushed to
/// disk, then renamed over it. A reader, or a crash at any moment, sees the old file or the
/// new one, never half of one (a rename within a directory is atomic on POSIX file systems).
/// </summary>
public static class AtomicFile
{
    static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8.GetBytes(text));

    public static void WriteAllLines(string path, IEnumerable<string> lines) =>
        WriteAllText(path, string.Concat(lines.Select(line => line + "\n")));

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var buffer = bytes.ToArray();
        Write(path, stream => stream.Write(buffer));
    }

    /// <summary>Writes through <paramref name="write"/> into a temporary file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        // Same directory, so the rename never crosses file systems; a dot name that readers globbing *.csv or *.alrspol skip.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Appends <paramref name="text"/> by writing the whole file again. An unterminated last
    /// line is dropped first: only a write torn by a crash of an older build leaves one, and
    /// text appended after it would corrupt the next row too.
    /// </summary>
    public static void AppendAllText(string path, string text)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path, Utf8) : "";
        var complete = existing.Length == 0 || existing.EndsWith('\n') ? existing : existing[..(existing.LastIndexOf('\n') + 1)];
        WriteAllText(path, complete + text);
    }
}
