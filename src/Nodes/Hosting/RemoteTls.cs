using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using Alrs.Learning;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Turns <see cref="TlsSettings"/> into Akka.Remote's <see cref="DotNettySslSetup"/>: loads
/// the PKCS#12 certificate (with clear errors) and chooses how peers are trusted.
/// </summary>
public static class RemoteTls
{
    public static DotNettySslSetup CreateSetup(TlsSettings tls)
    {
        var certificate = LoadCertificate(tls);
        return tls.Validation switch
        {
            TlsValidation.Pinned => new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
                validateCertificateHostname: false, customValidator: PinnedValidator(tls, certificate)),
            TlsValidation.Chain => new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
                validateCertificateHostname: false),
            _ => throw new ArgumentOutOfRangeException(nameof(tls), tls.Validation, "unknown TLS validation mode"),
        };
    }

    /// <summary>Loads the node certificate; every failure names the key or variable to fix.</summary>
    public static X509Certificate2 LoadCertificate(TlsSettings tls)
    {
        if (!File.Exists(tls.CertificatePath))
            throw new InputException($"alrs.cluster.tls.certificate-path: {tls.CertificatePath} does not exist (ALRS_TLS_CERTIFICATE)");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.CertificatePassword);
        }
        catch (CryptographicException e)
        {
            throw new InputException($"alrs.cluster.tls.certificate-path: cannot open {tls.CertificatePath} as PKCS#12 ({e.Message}); check the file and ALRS_TLS_CERTIFICATE_PASSWORD", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InputException($"alrs.cluster.tls.certificate-path: {tls.CertificatePath} holds no private key; a node needs its own key to prove its identity");
        return certificate;
    }

    /// <summary>Accepts a peer only if its certificate's thumbprint is trusted (default: our own).</summary>
    static CertificateValidationCallback PinnedValidator(TlsSettings tls, X509Certificate2 own)
    {
        var trusted = tls.TrustedThumbprints.Count > 0
            ? tls.TrustedThumbprints.ToHashSet(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(StringComparer.OrdinalIgnoreCase) { own.Thumbprint };
        return (certificate, _, peer, _, log) =>
        {
            if (certificate is not null && trusted.Contains(certificate.Thumbprint)) return true;
            log?.Warning("TLS: refused peer {0}: certificate {1} is not pinned in alrs.cluster.tls.trusted-thumbprints",
                peer, certificate?.Thumbprint ?? "(none)");
            return false;
        };
    }
}
