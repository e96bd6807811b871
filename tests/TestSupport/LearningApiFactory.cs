using Learning.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Orleans.Dashboard;

namespace Learning.TestSupport;

/// <summary>
/// The real API over the real pipeline with its co-hosted silo (the embedded default), on ports of its own so
/// factories never clash, and with the business clock under the tests' control.
/// </summary>
public class LearningApiFactory : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-0123456789";

    /// <summary>
    /// Password hashing iterations in Development-environment test hosts: thousands of sign-ins at production strength
    /// (PasswordHasher.MinimumIterations, about 0.1 s of CPU each) would cost minutes; the hash is tested on its own.
    /// </summary>
    public const string TestPasswordHashIterations = "1000";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>How often test hosts' Orleans Dashboard collects counters (the default, 1 s, is for operators watching).</summary>
    public const int DashboardPollMilliseconds = 60_000;

    /// <summary>An empty media folder of this factory's own; tests drop lesson files into it.</summary>
    public string MediaRoot { get; } = Directory.CreateTempSubdirectory("learning-media-").FullName;

    /// <summary>Settings a test class wants on top of the defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    protected virtual string Environment => "Development";

    /// <summary>Fixed silo and gateway ports of this factory's own; off, the host picks them as <c>dotnet run</c> does.</summary>
    protected virtual bool PinClusterPorts => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in HostSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddKeyedSingleton<TimeProvider>(Learning.Hosting.Clock.ServiceKey, Clock);
            services.AddSingleton<IStartupFilter, ClientAddressStartupFilter>();
            services.AddSingleton(DashboardAssets.Value.GetType(), DashboardAssets.Value);
            // The dashboard polls every silo's counters each second for as long as its host lives, and dozens of hosts
            // live through a test run: measured, about 15 % of the functional tests' CPU. Its pages and access rules
            // stay as they are (HardeningTests, RevocationTests); only the poll slows to once a minute.
            services.Configure<DashboardOptions>(options => options.CounterUpdateIntervalMs = DashboardPollMilliseconds);
        });
    }

    /// <summary>
    /// The Orleans Dashboard's embedded files, read and gzipped once per test process instead of once per host (a sixth
    /// of the functional tests' CPU time went into compressing them again for every host). The provider holds nothing
    /// but those immutable files, so hosts sharing it serve exactly what each would have built for itself.
    /// </summary>
    private static readonly Lazy<object> DashboardAssets = new(() =>
    {
        const string name = "Orleans.Dashboard.EmbeddedAssetProvider, Orleans.Dashboard";
        var type = Type.GetType(name)
            ?? throw new InvalidOperationException($"{name} is gone (an Orleans upgrade?): revisit LearningApiFactory.DashboardAssets");
        return Activator.CreateInstance(type)!;
    });

    /// <summary>
    /// Everything this factory sets on the host, in order (later wins): the environment, the defaults, then
    /// <see cref="Settings"/>. <see cref="ConfigureWebHost"/> applies these and <see cref="BuildUnstartedHost"/> passes them.
    /// </summary>
    private List<KeyValuePair<string, string?>> HostSettings()
    {
        List<KeyValuePair<string, string?>> settings = [new(WebHostDefaults.EnvironmentKey, Environment)];
        if (PinClusterPorts)
        {
            settings.Add(new("Cluster:SiloPort", FreePort.Next().ToString()));
            settings.Add(new("Cluster:GatewayPort", FreePort.Next().ToString()));
        }

        settings.Add(new("Jwt:SigningKey", SigningKey));
        settings.Add(new("Media:SigningKey", SigningKey + "-media"));
        settings.Add(new("Media:Root", MediaRoot));
        // Tests send thousands of requests from one address; the limiter has tests of its own.
        settings.Add(new("RateLimits:Enabled", "false"));
        // Mail would otherwise pile up as .eml files in the shared Development pickup folder; tests that read mail
        // send it to their own SMTP server (Email:Discard=false).
        settings.Add(new("Email:Discard", "true"));
        if (Environment == "Development")
        {
            settings.Add(new("Auth:PasswordHashIterations", TestPasswordHashIterations));
        }

        settings.AddRange(Settings);
        return settings;
    }

    /// <summary>
    /// The host this factory's settings make, built by the API's own <c>Program</c> but not started (see
    /// <see cref="UnstartedHost"/>): no silo, no server, none of the test services. For what start-up checks before
    /// anything runs, at a fraction of the cost of a host that starts (or fails to).
    /// </summary>
    public IHost BuildUnstartedHost() => UnstartedHost.Build<Program>(HostSettings());

    /// <summary>A client; with <paramref name="peerAddress"/>, every request comes from that IP (see <see cref="ClientAddressStartupFilter"/>).</summary>
    public ApiClient CreateApiClient(string? peerAddress = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Learning.Tests/1.0");
        if (peerAddress is not null)
        {
            client.DefaultRequestHeaders.Add(ClientAddressStartupFilter.Header, peerAddress);
        }

        return new ApiClient(client);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (Directory.Exists(MediaRoot))
        {
            Directory.Delete(MediaRoot, recursive: true);
        }
    }
}
