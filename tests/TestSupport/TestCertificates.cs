using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Learning.TestSupport;

/// <summary>
/// A throwaway cluster CA in a temporary folder and PEM certificates it signs (what scripts/cluster.sh makes with
/// openssl), for tests of Cluster:Tls. ECDSA P-256: made in milliseconds.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _authority;

    private TestCertificates(string folder, X509Certificate2 authority)
    {
        Folder = folder;
        _authority = authority;
        CaPath = Path.Combine(folder, "ca.crt");
        File.WriteAllText(CaPath, authority.ExportCertificatePem());
    }

    public string Folder { get; }

    public string CaPath { get; }

    public static TestCertificates CreateAuthority(string name = "learning-test-ca")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        return new TestCertificates(Directory.CreateTempSubdirectory("learning-tls-").FullName, authority);
    }

    /// <summary>Writes NAME.crt and NAME.key signed by this CA; a silo's certificate also allows server authentication.</summary>
    public (string CertificatePath, string KeyPath) Issue(string name, bool server = true, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") };
        if (server)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(_authority, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddHours(12), serial);
        var paths = (Path.Combine(Folder, name + ".crt"), Path.Combine(Folder, name + ".key"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item2, key.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    /// <summary>The Cluster:Tls settings of a process holding certificate NAME (issued here if it is not yet).</summary>
    public Dictionary<string, string?> Settings(string name, bool server = true)
    {
        var (certificate, key) = File.Exists(Path.Combine(Folder, name + ".crt"))
            ? (Path.Combine(Folder, name + ".crt"), Path.Combine(Folder, name + ".key"))
            : Issue(name, server);
        return new()
        {
            ["Cluster:Tls:CertificatePath"] = certificate,
            ["Cluster:Tls:KeyPath"] = key,
            ["Cluster:Tls:CaPath"] = CaPath,
        };
    }

    public void Dispose()
    {
        _authority.Dispose();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
