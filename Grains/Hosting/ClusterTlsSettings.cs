namespace Learning.Hosting;

/// <summary>
/// Mutual TLS between silos and clients (section <c>Cluster:Tls</c>): each process presents a certificate signed by
/// the cluster's own CA and accepts only peers whose certificate that CA signed. Embedded mode (a silo inside the
/// API, on loopback) does not use it.
/// </summary>
public sealed class ClusterTlsSettings
{
    public const string Section = "Cluster:Tls";

    /// <summary>A PEM certificate (its key inside too unless <see cref="KeyPath"/> is set), or a PKCS#12 file (.pfx/.p12).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>, when it is a file of its own.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of an encrypted PEM key or of a PKCS#12 file; empty for an unencrypted key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM file of the CA certificate(s) every silo and client certificate is signed by (several during a CA rotation).</summary>
    public string? CaPath { get; set; }

    /// <summary>Runs silos and clients without TLS outside Development: only for a network nothing else can reach.</summary>
    public bool AllowInsecure { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath) || !string.IsNullOrWhiteSpace(CaPath);

    /// <param name="forSilo">A silo accepts connections too, so its certificate must also allow server authentication.</param>
    /// <param name="required">Outside Development a silo or client runs with TLS unless <see cref="AllowInsecure"/> waives it.</param>
    public void AddProblems(List<string> problems, bool forSilo, bool required)
    {
        if (!IsConfigured)
        {
            if (required && !AllowInsecure)
            {
                problems.Add($"{Section}:CertificatePath and {Section}:CaPath are required outside Development: silos and clients talk over "
                    + $"mutual TLS (docs/deploy.md, Cluster TLS). Set {Section}:AllowInsecure=true only where nothing else can reach the silo and gateway ports.");
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            problems.Add($"{Section}:CertificatePath is required when other {Section} settings are set.");
        }

        if (string.IsNullOrWhiteSpace(CaPath))
        {
            problems.Add($"{Section}:CaPath is required when other {Section} settings are set: peers are accepted when this CA signed them.");
        }

        if (!string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrWhiteSpace(CaPath))
        {
            ClusterCertificates.TryLoad(this, forSilo, problems);
        }
    }
}
