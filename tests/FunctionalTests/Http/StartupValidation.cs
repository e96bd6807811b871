using Learning.Api.Hosting;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Learning.FunctionalTests.Http;

// A misconfigured production host refuses to start and names every setting that is wrong. One test starts a real
// production host and sees it refuse; the cases check the same validation on a host that is built, not started.

/// <summary>What a production host with bad settings refuses to start with.</summary>
internal static class RefusedProductionHost
{
    private const string UnusedDatabase = "Host=127.0.0.1;Port=1;Username=nobody;Database=never_opened";

    /// <summary>
    /// Runs the host's start-up validation, the first thing its start does (<c>IHost.StartAsync</c> calls
    /// <see cref="IStartupValidator.Validate"/>, which runs every <c>ValidateOnStart</c> registration and throws
    /// their failures together), on the host the API's <c>Program</c> builds with these settings, without starting
    /// it: a refused start costs a whole host, this a fraction of one.
    /// </summary>
    public static void AssertRefused(string key, string value, string expected)
    {
        using var factory = new ProductionApiFactory(UnusedDatabase, (key, value));
        using var host = factory.BuildUnstartedHost();
        var validator = host.Services.GetRequiredService<IStartupValidator>();

        var failures = ConfigurationCheck.Failures(Assert.ThrowsAny<Exception>(validator.Validate));

        Assert.Contains(expected, string.Join("\n", failures));
    }

    /// <summary>Starts the production host for real and returns what it refused to start with.</summary>
    public static List<string> StartFailures(params (string Key, string Value)[] settings)
    {
        using var factory = new ProductionApiFactory(UnusedDatabase, settings);
        return ConfigurationCheck.Failures(Assert.ThrowsAny<Exception>(() => factory.CreateClient())).ToList();
    }
}

/// <summary>Signing keys: present, long enough, not sample values, distinct, rotated keys too.</summary>
public sealed class SigningKeyValidationTests
{
    [Theory]
    [InlineData("Jwt:SigningKey", "", "Jwt:SigningKey is required")]
    [InlineData("Jwt:SigningKey", "too-short", "Jwt:SigningKey must be at least 32 bytes")]
    [InlineData("Jwt:SigningKey", "changeme-changeme-changeme-changeme-changeme", "Jwt:SigningKey looks like a sample value")]
    [InlineData("Media:SigningKey", "short", "Media:SigningKey must be at least 32 bytes")]
    [InlineData("Media:SigningKey", "your-media-signing-key-goes-here-0123456789", "Media:SigningKey looks like a sample value")]
    [InlineData("Media:SigningKey", LearningApiFactory.SigningKey, "Jwt:SigningKey and Media:SigningKey must differ")]
    [InlineData("Media:PreviousSigningKeys:0", LearningApiFactory.SigningKey, "Jwt:SigningKey and Media:SigningKey must differ")]
    [InlineData("Jwt:PreviousSigningKeys:0", "too-short", "Jwt:PreviousSigningKeys:0 must be at least 32 bytes")]
    public void A_bad_setting_stops_the_production_host_with_its_name(string key, string value, string expected) =>
        RefusedProductionHost.AssertRefused(key, value, expected);

    /// <summary>A real start of the production host: it refuses, and lists every problem, not the first.</summary>
    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var failures = RefusedProductionHost.StartFailures(("Jwt:SigningKey", ""), ("Media:SigningKey", ""), ("AllowedHosts", "*"));

        Assert.Contains(failures, f => f.Contains("Jwt:SigningKey"));
        Assert.Contains(failures, f => f.Contains("Media:SigningKey"));
        Assert.Contains(failures, f => f.Contains("AllowedHosts"));
    }
}

/// <summary>Hosts, storage and cluster: what a production deployment must name.</summary>
public sealed class HostAndClusterValidationTests
{
    [Theory]
    [InlineData("Demo:Enabled", "true", "Demo:Enabled must not be true outside Development")]
    [InlineData("AllowedHosts", "*", "AllowedHosts must list")]
    [InlineData("ConnectionStrings:Postgres", "", "ConnectionStrings:Postgres is required outside Development")]
    [InlineData("Cluster:Mode", "Client", "ConnectionStrings:Redis is required")]
    [InlineData("Cluster:Mode", "Client", "Cluster:Tls:CertificatePath and Cluster:Tls:CaPath are required outside Development")]
    [InlineData("ConnectionStrings:Postgres", "Host=db;Username=learning;Password=replace-with-a-random-password", "ConnectionStrings:Postgres has a sample password")]
    [InlineData("Security:CorsOrigins:0", "*", "'*' is never allowed")]
    public void A_bad_setting_stops_the_production_host_with_its_name(string key, string value, string expected) =>
        RefusedProductionHost.AssertRefused(key, value, expected);
}

/// <summary>Rule options out of range.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Limits:MaxActiveDevices", "0", "Limits:MaxActiveDevices must be between 1")]
    [InlineData("Playback:HeartbeatTimeout", "00:00:05", "Playback:HeartbeatTimeout must be longer")]
    [InlineData("Auth:MaxFailedLogins", "0", "Auth:MaxFailedLogins must be at least 1")]
    [InlineData("Auth:PasswordHashIterations", "1000", "Auth:PasswordHashIterations must be at least 210000 outside Development")]
    [InlineData("Auth:RefreshReuseGrace", "00:05:00", "Auth:RefreshReuseGrace must be between 0 and 1 minute")]
    [InlineData("Auth:RefreshFamilyLifetime", "1.00:00:00", "Auth:RefreshFamilyLifetime must be at least Auth:RefreshTokenLifetime")]
    [InlineData("RateLimits:SignInPermits", "0", "RateLimits:SignInPermits must be at least 1")]
    public void A_bad_setting_stops_the_production_host_with_its_name(string key, string value, string expected) =>
        RefusedProductionHost.AssertRefused(key, value, expected);
}
