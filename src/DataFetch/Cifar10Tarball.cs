using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>
/// The official CIFAR-10 binary tarball (cifar-10-binary.tar.gz): checked against its
/// published MD5, then its batch files are taken from cifar-10-batches-bin/.
/// </summary>
public static class Cifar10Tarball
{
    public const string Url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    public const string FileName = "cifar-10-binary.tar.gz";
    public const string Folder = "cifar-10-batches-bin";
    public const string ClassNames = "batches.meta.txt";

    /// <summary>Verifies <paramref name="tarball"/>'s MD5 and extracts the batches into a new folder of <paramref name="scratch"/>.</summary>
    public static string VerifyAndExtract(string tarball, string scratch, TextWriter log)
    {
        log.WriteLine($"  checking MD5 of {tarball} ...");
        var md5 = ContentHash.Md5OfFile(tarball);
        if (md5 != PinnedChecksums.Cifar10TarballMd5)
            throw new FetchException($"{tarball}: MD5 {md5} differs from the published {PinnedChecksums.Cifar10TarballMd5} of {FileName}; corrupt or not the official file");

        var files = Path.Combine(scratch, "files");
        Directory.CreateDirectory(files);
        log.WriteLine($"  extracting {Folder}/ ...");
        var found = TarGzArchive.Extract(tarball, Folder, [.. DatasetInfo.Cifar10.Files, ClassNames], files);
        var missing = DatasetInfo.Cifar10.Files.Except(found).ToList();
        if (missing.Count > 0) throw new FetchException($"{tarball} lacks {string.Join(", ", missing)} under {Folder}/");
        return files;
    }
}
