using System.Security.Cryptography.X509Certificates;
using Learning.Catalog;
using Learning.Hosting;
using Learning.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Learning.FunctionalTests.Cluster;

/// <summary>
/// A silo with Cluster:Tls certificates, in this process on loopback: a client with a certificate of the cluster's
/// CA calls grains; on both the silo port and the gateway port the silo speaks TLS, and drops connections that
/// bring a certificate of another CA or no TLS at all.
/// </summary>
/// <remarks>The probes change nothing on the silo, so the class shares one silo (<see cref="TlsSilo"/>).</remarks>
[Trait(Tier.Name, Tier.Slow)]
public sealed class ClusterTlsTests(ClusterTlsTests.TlsSilo silo) : IClassFixture<ClusterTlsTests.TlsSilo>
{
    private readonly TestCertificates _cluster = silo.Cluster;
    private readonly TestCertificates _stranger = silo.Stranger;
    private readonly int _siloPort = silo.SiloPort;
    private readonly int _gatewayPort = silo.GatewayPort;

    [Fact]
    public async Task A_client_with_a_certificate_of_the_cluster_ca_calls_grains()
    {
        using var client = await StartClientAsync(_cluster.Settings("api", server: false));

        var catalog = await client.Services.GetRequiredService<IClusterClient>().GetGrain<ICatalogGrain>(0).GetSnapshotIfNewer(knownVersion: -1);

        // Stored once on the first activation, so the answer has a version even for an empty catalog.
        Assert.True(catalog!.Version >= 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Silo_and_gateway_ports_speak_tls_with_the_silo_certificate_and_keep_a_cluster_peer(bool gateway)
    {
        var expected = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_cluster.Folder, "silo.crt"));
        var (certificate, key) = _cluster.Issue("probe", server: false);

        await using var tls = await TlsProbe.HandshakeAsync(gateway ? _gatewayPort : _siloPort, X509Certificate2.CreateFromPemFile(certificate, key));

        Assert.Equal(expected.Thumbprint, new X509Certificate2(tls.RemoteCertificate!).Thumbprint);
        // The silo now waits for Orleans' own greeting: the connection stays open.
        Assert.False(await TlsProbe.ClosedWithinAsync(tls, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_certificate_of_another_ca_is_refused(bool gateway)
    {
        var (certificate, key) = _stranger.Issue("intruder", server: false);

        var refused = false;
        try
        {
            // TLS 1.3: the client may finish its side before the server has judged the client's certificate.
            await using var tls = await TlsProbe.HandshakeAsync(gateway ? _gatewayPort : _siloPort, X509Certificate2.CreateFromPemFile(certificate, key));
            refused = await TlsProbe.ClosedWithinAsync(tls, TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is IOException or System.Security.Authentication.AuthenticationException)
        {
            refused = true;
        }

        Assert.True(refused, "the silo kept a connection whose certificate another CA signed");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_connection_without_tls_is_refused(bool gateway)
    {
        Assert.True(await TlsProbe.PlainTextIsDroppedAsync(gateway ? _gatewayPort : _siloPort), "the silo kept a plain-text connection");
    }

    private async Task<IHost> StartClientAsync(Dictionary<string, string?> tls)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(_gatewayPort);
            client.UseClusterTls(ClusterCertificates.Load(Read(tls).Tls, forSilo: false));
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static ClusterSettings Read(Dictionary<string, string?> settings) =>
        ClusterSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    /// <summary>A silo with the certificates of <see cref="Cluster"/>'s CA; <see cref="Stranger"/> is another CA.</summary>
    public sealed class TlsSilo : IAsyncLifetime
    {
        private IHost _silo = null!;

        public TestCertificates Cluster { get; } = TestCertificates.CreateAuthority();

        public TestCertificates Stranger { get; } = TestCertificates.CreateAuthority("another-ca");

        public int SiloPort { get; } = FreePort.Next();

        public int GatewayPort { get; } = FreePort.Next();

        public async Task InitializeAsync()
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            // A production silo needs a mail destination; these tests send none.
            builder.Configuration["Email:Discard"] = "true";
            var tls = Read(Cluster.Settings("silo")).Tls;
            builder.UseOrleans(silo => silo
                .UseLocalhostClustering(SiloPort, GatewayPort)
                .AddMemoryGrainStorage(StorageNames.Default)
                .AddLearningGrains()
                .UseClusterTls(ClusterCertificates.Load(tls, forSilo: true)));
            _silo = builder.Build();
            await _silo.StartAsync();
        }

        public async Task DisposeAsync()
        {
            await _silo.StopAsync();
            _silo.Dispose();
            Cluster.Dispose();
            Stranger.Dispose();
        }
    }
}
