using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>A throw-away self-signed certificate written as a password-protected PKCS#12 file.</summary>
public sealed class SelfSignedCertificate : IDisposable
{
    readonly string _directory;

    public SelfSignedCertificate(string subject = "CN=alrs-cluster-test")
    {
        _directory = Directory.CreateTempSubdirectory("alrs-tls-").FullName;
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // server and client authentication
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Thumbprint = certificate.Thumbprint;
        Path = System.IO.Path.Combine(_directory, "node.pfx");
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, Password));
    }

    public string Path { get; }
    public string Password { get; }
    public string Thumbprint { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
