using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Learning.Hosting;

/// <summary>This process's certificate and the CA(s) its peers must be signed by, read from the files of <see cref="ClusterTlsSettings"/>.</summary>
public sealed class ClusterCertificates
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection Authorities { get; }

    /// <summary>Reads the files; every problem is added to <paramref name="problems"/>, naming the setting. Null if any.</summary>
    public static ClusterCertificates? TryLoad(ClusterTlsSettings tls, bool forSilo, List<string> problems)
    {
        var count = problems.Count;
        var certificate = ReadCertificate(tls, problems);
        var authorities = ReadAuthorities(tls.CaPath!, problems);
        if (certificate is null || authorities is null)
        {
            return null;
        }

        var setting = $"{ClusterTlsSettings.Section}:CertificatePath '{tls.CertificatePath}'";
        var now = DateTime.Now;
        if (certificate.NotAfter < now || certificate.NotBefore > now)
        {
            problems.Add($"{setting} is valid from {certificate.NotBefore:u} to {certificate.NotAfter:u} only.");
        }

        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>()).Select(o => o.Value).ToList();
        var needed = forSilo ? new[] { ServerAuthentication, ClientAuthentication } : [ClientAuthentication];
        if (usages.Count > 0 && needed.Except(usages).Any())
        {
            problems.Add($"{setting} must allow {(forSilo ? "serverAuth and clientAuth (a silo accepts and opens connections)" : "clientAuth")}: "
                + $"openssl's extendedKeyUsage = {(forSilo ? "serverAuth, clientAuth" : "clientAuth")}.");
        }

        var loaded = new ClusterCertificates(certificate, authorities);
        if (!loaded.IsSignedByAuthority(certificate, null))
        {
            problems.Add($"{setting} is not signed by a CA in {ClusterTlsSettings.Section}:CaPath '{tls.CaPath}' (or that chain is not valid now): peers would refuse it.");
        }

        return problems.Count == count ? loaded : null;
    }

    /// <summary>For the hosts, after start-up validation passed: the same reading, failing with the problems.</summary>
    public static ClusterCertificates Load(ClusterTlsSettings tls, bool forSilo)
    {
        var problems = new List<string>();
        return TryLoad(tls, forSilo, problems) ?? throw new InvalidOperationException(string.Join(" ", problems));
    }

    /// <summary>
    /// A peer belongs to the cluster when one of the cluster's CAs signed its certificate. Its name is not checked:
    /// silos are reached by IP address, and the CA signs nothing but this cluster's processes.
    /// </summary>
    public bool IsSignedByAuthority(X509Certificate2 peer, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            // Intermediates the peer sent during the handshake.
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        return chain.Build(peer);
    }

    private static X509Certificate2? ReadCertificate(ClusterTlsSettings tls, List<string> problems)
    {
        var path = tls.CertificatePath!;
        var key = string.IsNullOrWhiteSpace(tls.KeyPath) ? null : tls.KeyPath;
        var password = string.IsNullOrEmpty(tls.CertificatePassword) ? null : tls.CertificatePassword;
        var missing = false;
        if (!File.Exists(path))
        {
            problems.Add($"{ClusterTlsSettings.Section}:CertificatePath '{path}' does not exist (or cannot be seen by this process).");
            missing = true;
        }

        if (key is not null && !File.Exists(key))
        {
            problems.Add($"{ClusterTlsSettings.Section}:KeyPath '{key}' does not exist (or cannot be seen by this process).");
            missing = true;
        }

        if (missing)
        {
            return null;
        }

        try
        {
            var certificate = Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
                : password is null
                    ? X509Certificate2.CreateFromPemFile(path, key)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, key);
            if (certificate.HasPrivateKey)
            {
                return certificate;
            }

            problems.Add($"{ClusterTlsSettings.Section}:CertificatePath '{path}' holds no private key (set {ClusterTlsSettings.Section}:KeyPath).");
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            problems.Add($"{ClusterTlsSettings.Section}:CertificatePath '{path}'{(key is null ? "" : $" with {ClusterTlsSettings.Section}:KeyPath '{key}'")} "
                + $"could not be read as a certificate and its private key: {exception.Message}");
        }

        return null;
    }

    private static X509Certificate2Collection? ReadAuthorities(string path, List<string> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{ClusterTlsSettings.Section}:CaPath '{path}' does not exist (or cannot be seen by this process).");
            return null;
        }

        try
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(path);
            if (authorities.Count > 0)
            {
                return authorities;
            }

            problems.Add($"{ClusterTlsSettings.Section}:CaPath '{path}' holds no PEM certificate.");
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{ClusterTlsSettings.Section}:CaPath '{path}' could not be read as PEM certificates: {exception.Message}");
        }

        return null;
    }
}
