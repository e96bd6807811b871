using Orleans.Connections.Security;

namespace Learning.Hosting;

/// <summary>Mutual TLS on silo-to-silo and client-to-gateway connections: both ends present a certificate and check the other's.</summary>
public static class ClusterTls
{
    /// <summary>Inbound silo and gateway connections, and the silo's outbound connections to other silos.</summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterCertificates certificates) =>
        silo.UseTls(options => Configure(options, certificates));

    /// <summary>The client's connections to gateways.</summary>
    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterCertificates certificates) =>
        client.UseTls(options => Configure(options, certificates));

    private static void Configure(TlsOptions options, ClusterCertificates certificates)
    {
        options.LocalCertificate = certificates.Certificate;
        // Orleans' default lets a connecting side go without a certificate; here nobody does.
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Replaces the system trust store (which does not know the cluster's CA) and host-name matching.
        options.RemoteCertificateValidation = (peer, chain, _) => certificates.IsSignedByAuthority(peer, chain);
    }
}
