using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Alrs.Learning;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// What <c>alrs cluster keys</c> makes: one self-signed cluster certificate with its private
/// key (PKCS#12, no password, readable by its owner only) that every node of a cluster loads
/// for mutual TLS. In hocon/tls.hocon's default <c>pinned</c> mode a node trusts exactly the
/// certificate it holds itself, so whoever lacks this file cannot join or talk to the cluster.
/// </summary>
public static class ClusterKeys
{
    public const string FileName = "cluster.pfx";
    static readonly TimeSpan Validity = TimeSpan.FromDays(3 * 365);

    /// <summary>Writes <c>DIR/cluster.pfx</c> (the directory is created owner-only); refuses to replace one.</summary>
    /// <returns>The certificate file and its SHA-1 thumbprint (what <c>trusted-thumbprints</c> lists).</returns>
    public static (string Path, string Thumbprint) Create(string directory)
    {
        var full = System.IO.Path.GetFullPath(directory);
        var path = System.IO.Path.Combine(full, FileName);
        if (File.Exists(path))
            throw new InputException($"{path} already exists: a cluster's nodes must share one certificate, so it is not replaced (delete it first to make new keys for every node)");
        if (!Directory.Exists(full))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(full);
            else Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=alrs-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        // Every node is both a TLS server (it accepts connections) and a client (it opens them).
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
        var bytes = certificate.Export(X509ContentType.Pfx);

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path, options))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        return (path, certificate.Thumbprint);
    }
}
