using System.Diagnostics;
using Learning.TestSupport;

namespace Learning.IntegrationTests.Hosting;

/// <summary>
/// <c>Learning.Api --check</c> validates the configuration the way start-up does, without starting; a host started with
/// a bad configuration prints the same list and exits 1 (no stack trace, no crash). Each test runs the API as a process
/// of its own (<c>dotnet Learning.Api.dll</c>), which is why they are integration tests.
/// </summary>
public sealed class ConfigurationCheckTests
{
    [Fact]
    public async Task Check_lists_every_problem_of_a_bad_production_configuration_and_fails()
    {
        var (exitCode, output) = await CheckAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Jwt__SigningKey"] = "changeme-changeme-changeme-changeme",
            ["Demo__Enabled"] = "true",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("Jwt:SigningKey looks like a sample value", output);
        Assert.Contains("Media:SigningKey is required", output);
        Assert.Contains("Demo:Enabled must not be true", output);
        Assert.Contains("AllowedHosts must list", output);
        Assert.Contains("ConnectionStrings:Postgres is required", output);
        Assert.Contains("Email:Smtp:Host (or Email:PickupDirectory for .eml files, or Email:Discard=true", output);
    }

    [Fact]
    public async Task Check_passes_a_good_production_configuration()
    {
        var (exitCode, output) = await CheckAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Jwt__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["Media__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["AllowedHosts"] = "api.example.com",
            ["ConnectionStrings__Postgres"] = "Host=db.internal;Username=learning;Database=learning",
            ["Email__Smtp__Host"] = "smtp.internal",
            ["Email__From"] = "Learning <no-reply@api.example.com>",
            ["Email__PublicBaseUrl"] = "https://api.example.com",
        });

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Check_names_the_missing_cluster_tls_of_a_client_mode_host()
    {
        var (exitCode, output) = await CheckAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Cluster__Mode"] = "Client",
            ["ConnectionStrings__Redis"] = "redis.internal:6379,password=replace-with-a-random-password",
            ["ConnectionStrings__Postgres"] = "Host=db.internal;Username=learning;Database=learning",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("Cluster:Tls:CertificatePath and Cluster:Tls:CaPath are required outside Development", output);
        Assert.Contains("ConnectionStrings:Redis has a sample password", output);
    }

    [Fact]
    public async Task A_production_host_with_bad_settings_prints_every_problem_and_exits_1()
    {
        var (exitCode, output) = await RunAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Jwt__SigningKey"] = "changeme-changeme-changeme-changeme",
            ["Playback__SessionLifetime"] = "abc",
            ["Playback__HeartbeatTimeout"] = "00:00:05",
            ["ConnectionStrings__Postgres"] = "not a connection string",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("problem(s) for Production:", output);
        Assert.Contains("Jwt:SigningKey looks like a sample value", output);
        Assert.Contains("Media:SigningKey is required", output);
        Assert.Contains("AllowedHosts must list", output);
        Assert.Contains("Playback:SessionLifetime cannot be read as a TimeSpan", output);
        Assert.Contains("Playback:HeartbeatTimeout must be longer", output);
        Assert.Contains("ConnectionStrings:Postgres is not a valid Npgsql connection string", output);
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Theory]
    [InlineData("not a connection string", "ConnectionStrings:Postgres is not a valid Npgsql connection string")]
    [InlineData("Host=db.internal;Username=learning", "ConnectionStrings:Postgres names no database")]
    public async Task Check_names_an_unusable_connection_string(string connectionString, string expected)
    {
        var (exitCode, output) = await CheckAsync(GoodProduction(("ConnectionStrings__Postgres", connectionString)));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, output);
    }

    [Fact]
    public async Task Unreadable_values_hide_no_other_problem_and_each_is_listed_once()
    {
        var (exitCode, output) = await CheckAsync(GoodProduction(
            ("Playback__SessionLifetime", "abc"), ("Playback__HeartbeatInterval", "soon"), ("Playback__EndedSessionsKept", "-1"),
            ("Cluster__ResponseTimeout", "zz"), ("Limits__MaxActiveDevices", "many"), ("Auth__MaxFailedLogins", "0")));

        Assert.Equal(1, exitCode);
        var problems = output.Split('\n').Where(line => line.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        Assert.Equal(problems.Distinct().Count(), problems.Count);
        Assert.All(new[] { "Playback:SessionLifetime", "Playback:HeartbeatInterval", "Cluster:ResponseTimeout", "Limits:MaxActiveDevices", "Auth:MaxFailedLogins" },
            setting => Assert.Single(problems, p => p.Contains(setting, StringComparison.Ordinal)));
        Assert.Contains(problems, p => p.Contains("Playback:EndedSessionsKept", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> GoodProduction(params (string Key, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Jwt__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["Media__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["AllowedHosts"] = "api.example.com",
            ["ConnectionStrings__Postgres"] = "Host=db.internal;Username=learning;Database=learning",
            ["Email__Smtp__Host"] = "smtp.internal",
            ["Email__From"] = "Learning <no-reply@api.example.com>",
            ["Email__PublicBaseUrl"] = "https://api.example.com",
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static Task<(int ExitCode, string Output)> CheckAsync(Dictionary<string, string> environment) =>
        RunAsync(environment, "--check");

    private static async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "Learning.Api.dll");
        var start = new ProcessStartInfo("dotnet", [api, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A host that started despite its configuration: stop it, and fail on the exit code.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await output + await error);
    }
}
