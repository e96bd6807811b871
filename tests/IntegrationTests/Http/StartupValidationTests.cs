using Learning.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Learning.IntegrationTests.Http;

/// <summary>A misconfigured production host refuses to start and says which setting is wrong.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("", "Jwt:SigningKey is required")]
    [InlineData("too-short", "Jwt:SigningKey must be at least 32 bytes")]
    public void Production_refuses_to_start_without_a_strong_jwt_key(string key, string expected)
    {
        using var factory = new ConfiguredFactory("Production", ("Jwt:SigningKey", key));

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("Media:SigningKey", "short", "Media:SigningKey must be at least 32 bytes")]
    [InlineData("Limits:MaxActiveDevices", "0", "Limits:MaxActiveDevices must be between 1")]
    [InlineData("Playback:HeartbeatTimeout", "00:00:05", "Playback:HeartbeatTimeout must be longer")]
    [InlineData("Auth:MaxFailedLogins", "0", "Auth:MaxFailedLogins must be at least 1")]
    public void A_bad_setting_stops_the_host_with_its_name(string key, string value, string expected)
    {
        using var factory = new ConfiguredFactory("Production", (key, value));

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Production_refuses_to_start_with_demo_users_enabled()
    {
        using var factory = new ConfiguredFactory("Production", ("Demo:Enabled", "true"));

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Demo:Enabled", error.Message);
    }

    [Fact]
    public async Task Production_with_a_strong_key_starts_without_demo_users()
    {
        using var factory = new ConfiguredFactory("Production");
        var api = factory.CreateApiClient();

        (await api.Login("admin@example.com", "admin-demo-pass")).AssertProblem(System.Net.HttpStatusCode.Unauthorized, "invalid_credentials");
        (await api.Get("/api/courses")).AssertStatus(System.Net.HttpStatusCode.OK);
    }

    private sealed class ConfiguredFactory(string environment, params (string Key, string Value)[] settings) : LearningApiFactory
    {
        protected override string Environment => environment;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value));
    }
}
