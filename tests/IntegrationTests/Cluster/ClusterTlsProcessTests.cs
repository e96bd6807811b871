using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Learning.TestSupport;

namespace Learning.IntegrationTests.Cluster;

/// <summary>
/// The real hosts with Cluster:Tls: scripts/cluster.sh's silo and Client-mode API talk over mutual TLS with the
/// certificates it makes, and a Production silo without TLS (or with a bad file) lists the problem and exits.
/// </summary>
public sealed class ClusterTlsProcessTests
{
    [Fact]
    public async Task The_scripted_cluster_runs_over_mutual_tls_and_its_gateway_drops_plain_text()
    {
        await using var cluster = await ScriptedCluster.UpAsync(silos: 1);
        var tls = Path.Combine(cluster.StateFolder, "tls");
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress };

        // Ready means the API (Cluster:Mode=Client) reached the silo through its gateway.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.True(await TlsProbe.PlainTextIsDroppedAsync(cluster.GatewayPort(1)), "the gateway kept a plain-text connection");
        await using var probe = await TlsProbe.HandshakeAsync(cluster.GatewayPort(1),
            X509Certificate2.CreateFromPemFile(Path.Combine(tls, "api.crt"), Path.Combine(tls, "api.key")));
        Assert.Equal(X509CertificateLoader.LoadCertificateFromFile(Path.Combine(tls, "silo.crt")).Thumbprint,
            new X509Certificate2(probe.RemoteCertificate!).Thumbprint);
    }

    [Fact]
    public async Task A_production_silo_without_tls_names_the_settings_and_exits()
    {
        var (exitCode, output) = await RunSiloAsync([]);

        Assert.Equal(1, exitCode);
        Assert.Contains("Cluster:Tls:CertificatePath and Cluster:Tls:CaPath are required outside Development", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task A_production_silo_with_a_missing_certificate_file_names_it_and_exits()
    {
        using var certificates = TestCertificates.CreateAuthority();
        var (certificate, key) = certificates.Issue("silo");

        var (exitCode, output) = await RunSiloAsync(new()
        {
            ["Cluster__Tls__CertificatePath"] = certificate,
            ["Cluster__Tls__KeyPath"] = key,
            ["Cluster__Tls__CaPath"] = "/nowhere/ca.crt",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("Cluster:Tls:CaPath '/nowhere/ca.crt' does not exist", output);
        Assert.DoesNotContain("   at ", output);
    }

    /// <summary>The silo built beside these tests (same configuration), with servers it never reaches: validation comes first.</summary>
    private static async Task<(int ExitCode, string Output)> RunSiloAsync(Dictionary<string, string> environment)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var silo = Path.Combine(ScriptedCluster.RepositoryRoot, "Silo", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(silo, "Learning.Silo.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = silo,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=never_opened";
        start.Environment["ConnectionStrings__Redis"] = "127.0.0.1:1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await error);
    }
}
