using Learning.Hosting;
using Learning.TestSupport;
using Microsoft.Extensions.Configuration;

namespace Learning.FunctionalTests.Cluster;

/// <summary>
/// Start-up validation of Cluster:Tls (and of the sample passwords of docker/.env.example): silos and Client-mode
/// API hosts outside Development need certificates or the explicit waiver, and a bad file is named, not thrown.
/// </summary>
public sealed class ClusterTlsSettingsTests : IDisposable
{
    private const string Servers = "Host=db.internal;Username=learning;Password=Zq81hXk2vVb0RkQf;Database=learning";
    private readonly TestCertificates _certificates = TestCertificates.CreateAuthority();

    [Theory]
    [InlineData(true, "Silo")]
    [InlineData(false, "Client")]
    public void Outside_development_a_silo_or_client_without_tls_is_refused_naming_the_settings(bool forSilo, string mode)
    {
        var problems = Problems(forSilo, development: false, ("Cluster:Mode", mode));

        var problem = Assert.Single(problems, p => p.Contains("Cluster:Tls"));
        Assert.Contains("Cluster:Tls:CertificatePath and Cluster:Tls:CaPath are required outside Development", problem);
        Assert.Contains("Cluster:Tls:AllowInsecure=true", problem);
    }

    [Fact]
    public void The_waiver_development_and_embedded_mode_need_no_tls()
    {
        Assert.Empty(Problems(forSilo: true, development: false, ("Cluster:Tls:AllowInsecure", "true")));
        Assert.Empty(Problems(forSilo: true, development: true));
        Assert.Empty(Problems(forSilo: false, development: false, ("Cluster:Mode", "Embedded")));
    }

    [Fact]
    public void Certificates_of_the_cluster_ca_pass()
    {
        Assert.Empty(Problems(forSilo: true, development: false, [.. Tls(_certificates.Settings("silo"))]));
        Assert.Empty(Problems(forSilo: false, development: false, [("Cluster:Mode", "Client"), .. Tls(_certificates.Settings("api", server: false))]));
    }

    [Fact]
    public void Missing_files_are_named_with_their_setting()
    {
        var problems = Problems(forSilo: true, development: false,
            ("Cluster:Tls:CertificatePath", "/nowhere/silo.crt"), ("Cluster:Tls:KeyPath", "/nowhere/silo.key"), ("Cluster:Tls:CaPath", "/nowhere/ca.crt"));

        Assert.Contains("Cluster:Tls:CertificatePath '/nowhere/silo.crt' does not exist (or cannot be seen by this process).", problems);
        Assert.Contains("Cluster:Tls:KeyPath '/nowhere/silo.key' does not exist (or cannot be seen by this process).", problems);
        Assert.Contains("Cluster:Tls:CaPath '/nowhere/ca.crt' does not exist (or cannot be seen by this process).", problems);
    }

    [Fact]
    public void A_partial_configuration_names_what_is_missing()
    {
        var problems = Problems(forSilo: true, development: false, ("Cluster:Tls:CaPath", _certificates.CaPath));

        Assert.Contains(problems, p => p.StartsWith("Cluster:Tls:CertificatePath is required when other Cluster:Tls settings are set"));
    }

    [Fact]
    public void An_unreadable_certificate_or_key_is_reported_not_thrown()
    {
        var settings = _certificates.Settings("silo");
        File.WriteAllText(settings["Cluster:Tls:KeyPath"]!, "not a key");

        var problem = Assert.Single(Problems(forSilo: true, development: false, [.. Tls(settings)]));

        Assert.StartsWith($"Cluster:Tls:CertificatePath '{settings["Cluster:Tls:CertificatePath"]}' with Cluster:Tls:KeyPath", problem);
        Assert.Contains("could not be read as a certificate and its private key", problem);
    }

    [Fact]
    public void A_certificate_of_another_ca_an_expired_one_and_a_client_certificate_on_a_silo_are_refused()
    {
        using var stranger = TestCertificates.CreateAuthority("another-ca");
        var foreign = stranger.Settings("silo");
        foreign["Cluster:Tls:CaPath"] = _certificates.CaPath;
        Assert.Contains(Problems(forSilo: true, development: false, [.. Tls(foreign)]), p => p.Contains("is not signed by a CA in Cluster:Tls:CaPath"));

        var (expired, key) = _certificates.Issue("old-silo", notAfter: DateTimeOffset.UtcNow.AddMinutes(-1));
        var old = new Dictionary<string, string?> { ["Cluster:Tls:CertificatePath"] = expired, ["Cluster:Tls:KeyPath"] = key, ["Cluster:Tls:CaPath"] = _certificates.CaPath };
        Assert.Contains(Problems(forSilo: true, development: false, [.. Tls(old)]), p => p.Contains("is valid from"));

        Assert.Contains(Problems(forSilo: true, development: false, [.. Tls(_certificates.Settings("api", server: false))]),
            p => p.Contains("must allow serverAuth and clientAuth"));
    }

    [Theory]
    [InlineData("ConnectionStrings:Postgres", "Host=postgres;Port=5432;Database=learning;Username=learning;Password=replace-with-a-random-password;Timeout=3")]
    [InlineData("ConnectionStrings:Redis", "redis:6379,password=replace-with-a-random-password")]
    public void Sample_passwords_of_the_example_env_are_refused_outside_development(string setting, string connectionString)
    {
        var problems = Problems(forSilo: true, development: false, ("Cluster:Tls:AllowInsecure", "true"), (setting, connectionString));

        Assert.Contains(problems, p => p.StartsWith($"{setting} has a sample password"));
        Assert.DoesNotContain(Problems(forSilo: true, development: true, (setting, connectionString)), p => p.Contains("sample password"));
    }

    public void Dispose() => _certificates.Dispose();

    private static IEnumerable<(string, string)> Tls(Dictionary<string, string?> settings) => settings.Select(kv => (kv.Key, kv.Value!));

    private static List<string> Problems(bool forSilo, bool development, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = Servers, ["ConnectionStrings:Redis"] = "redis:6379" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return ClusterSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build()).Problems(forSilo, development);
    }
}
