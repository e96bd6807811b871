using Learning.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Learning.TestSupport;

/// <summary>
/// The real API over the real pipeline with its co-hosted silo (the embedded default), on ports of its own so
/// factories never clash, and with the business clock under the tests' control.
/// </summary>
public class LearningApiFactory : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-0123456789";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>An empty media folder of this factory's own; tests drop lesson files into it.</summary>
    public string MediaRoot { get; } = Directory.CreateTempSubdirectory("learning-media-").FullName;

    /// <summary>Settings a test class wants on top of the defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    protected virtual string Environment => "Development";

    /// <summary>Fixed silo and gateway ports of this factory's own; off, the host picks them as <c>dotnet run</c> does.</summary>
    protected virtual bool PinClusterPorts => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        if (PinClusterPorts)
        {
            builder.UseSetting("Cluster:SiloPort", FreePort.Next().ToString());
            builder.UseSetting("Cluster:GatewayPort", FreePort.Next().ToString());
        }

        builder.UseSetting("Jwt:SigningKey", SigningKey);
        builder.UseSetting("Media:SigningKey", SigningKey + "-media");
        builder.UseSetting("Media:Root", MediaRoot);
        // Tests send thousands of requests from one address; the limiter has tests of its own.
        builder.UseSetting("RateLimits:Enabled", "false");
        // Mail would otherwise pile up as .eml files in the shared Development pickup folder; tests that read mail
        // send it to their own SMTP server (Email:Discard=false).
        builder.UseSetting("Email:Discard", "true");
        if (Environment == "Development")
        {
            // Thousands of sign-ins at production strength would cost minutes of CPU; the hash is tested on its own.
            builder.UseSetting("Auth:PasswordHashIterations", "1000");
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddKeyedSingleton<TimeProvider>(Learning.Hosting.Clock.ServiceKey, Clock);
            services.AddSingleton<IStartupFilter, ClientAddressStartupFilter>();
        });
    }

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
