using Learning.Api.Hosting;
using Learning.IntegrationTests.Infrastructure;

namespace Learning.IntegrationTests.Http;

/// <summary>A misconfigured production host refuses to start and names every setting that is wrong.</summary>
public sealed class StartupValidationTests
{
    private const string UnusedDatabase = "Host=127.0.0.1;Port=1;Username=nobody;Database=never_opened";

    [Theory]
    [InlineData("Jwt:SigningKey", "", "Jwt:SigningKey is required")]
    [InlineData("Jwt:SigningKey", "too-short", "Jwt:SigningKey must be at least 32 bytes")]
    [InlineData("Jwt:SigningKey", "changeme-changeme-changeme-changeme-changeme", "Jwt:SigningKey looks like a sample value")]
    [InlineData("Media:SigningKey", "short", "Media:SigningKey must be at least 32 bytes")]
    [InlineData("Media:SigningKey", "your-media-signing-key-goes-here-0123456789", "Media:SigningKey looks like a sample value")]
    [InlineData("Demo:Enabled", "true", "Demo:Enabled must not be true outside Development")]
    [InlineData("AllowedHosts", "*", "AllowedHosts must list")]
    [InlineData("ConnectionStrings:Postgres", "", "ConnectionStrings:Postgres is required outside Development")]
    [InlineData("Cluster:Mode", "Client", "ConnectionStrings:Redis is required")]
    [InlineData("Limits:MaxActiveDevices", "0", "Limits:MaxActiveDevices must be between 1")]
    [InlineData("Playback:HeartbeatTimeout", "00:00:05", "Playback:HeartbeatTimeout must be longer")]
    [InlineData("Auth:MaxFailedLogins", "0", "Auth:MaxFailedLogins must be at least 1")]
    [InlineData("RateLimits:SignInPermits", "0", "RateLimits:SignInPermits must be at least 1")]
    [InlineData("Security:CorsOrigins:0", "*", "'*' is never allowed")]
    public void A_bad_setting_stops_the_production_host_with_its_name(string key, string value, string expected)
    {
        using var factory = new ProductionFactory(UnusedDatabase, (key, value));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(expected, string.Join("\n", ConfigurationCheck.Failures(error)));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        using var factory = new ProductionFactory(UnusedDatabase, ("Jwt:SigningKey", ""), ("Media:SigningKey", ""), ("AllowedHosts", "*"));

        var failures = ConfigurationCheck.Failures(Assert.ThrowsAny<Exception>(() => factory.CreateClient())).ToList();

        Assert.Contains(failures, f => f.Contains("Jwt:SigningKey"));
        Assert.Contains(failures, f => f.Contains("Media:SigningKey"));
        Assert.Contains(failures, f => f.Contains("AllowedHosts"));
    }

    [Fact]
    public async Task A_well_configured_production_host_starts_without_demo_users()
    {
        using var factory = new ProductionFactory(await PostgresDatabase.CreateAsync());
        var api = factory.CreateApiClient();

        (await api.Login("admin@example.com", "admin-demo-pass")).AssertProblem(System.Net.HttpStatusCode.Unauthorized, "invalid_credentials");
        (await api.Get("/api/courses")).AssertStatus(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_bootstrap_admin_is_created_in_production()
    {
        using var factory = new ProductionFactory(await PostgresDatabase.CreateAsync(),
            ("Bootstrap:AdminEmail", "ops@example.org"), ("Bootstrap:AdminPassword", "a-long-operator-password"));
        var api = factory.CreateApiClient();

        var admin = Session.From("ops@example.org", (await api.Login("ops@example.org", "a-long-operator-password")).AssertStatus(System.Net.HttpStatusCode.OK));
        (await api.Get("/api/admin/users", admin.Access)).AssertStatus(System.Net.HttpStatusCode.OK);
    }

    /// <summary>Production with valid settings, except those a test overrides.</summary>
    private sealed class ProductionFactory(string postgres, params (string Key, string Value)[] overrides) : LearningApiFactory
    {
        protected override string Environment => "Production";

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            new Dictionary<string, string?>
            {
                ["AllowedHosts"] = "localhost",
                ["ConnectionStrings:Postgres"] = postgres,
                ["Security:RequireHttps"] = "false",
            }.Concat(overrides.Select(o => KeyValuePair.Create(o.Key, (string?)o.Value)));
    }
}
