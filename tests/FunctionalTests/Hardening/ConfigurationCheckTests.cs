using System.Diagnostics;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Hardening;

/// <summary><c>Learning.Api --check</c> validates the configuration the way start-up does, without starting.</summary>
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

    private static async Task<(int ExitCode, string Output)> CheckAsync(Dictionary<string, string> environment)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "Learning.Api.dll");
        var start = new ProcessStartInfo("dotnet", [api, "--check"])
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
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
