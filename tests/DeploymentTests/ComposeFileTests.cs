using System.Net;
using System.Text.RegularExpressions;
using Learning.Hosting;

namespace Learning.DeploymentTests;

/// <summary>
/// docker/docker-compose.yml: valid for compose (docker-compose v1's offline <c>config</c>; these machines have no
/// Docker engine), and shaped as docs/deploy.md describes it.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly ComposeText Compose = new(File.ReadAllText(DeploymentFiles.Compose));

    [Fact]
    public async Task Compose_accepts_the_file_with_the_example_env_and_every_variable_is_set_there()
    {
        using var folder = new TempFolder();
        var env = Path.Combine(folder.Path, ".env");
        File.Copy(DeploymentFiles.EnvExample, env);

        var result = await ComposeAsync(env, "config", "-q");

        Assert.True(result.ExitCode == 0, $"docker-compose config -q failed: {result}");
        // v1 warns "The X variable is not set. Defaulting to a blank string." for anything .env.example lacks.
        Assert.DoesNotContain("WARNING", result.Stderr + result.Stdout);
    }

    [Theory]
    [InlineData("POSTGRES_PASSWORD")]
    [InlineData("REDIS_PASSWORD")]
    [InlineData("JWT_SIGNING_KEY")]
    [InlineData("MEDIA_SIGNING_KEY")]
    [InlineData("ALLOWED_HOSTS")]
    [InlineData("CLUSTER_TLS_DIR")]
    public async Task Compose_refuses_to_run_without_a_required_setting_and_names_it(string variable)
    {
        using var folder = new TempFolder();
        var env = Path.Combine(folder.Path, ".env");
        File.WriteAllLines(env, File.ReadAllLines(DeploymentFiles.EnvExample).Where(l => !l.StartsWith(variable + "=")));

        var result = await ComposeAsync(env, "config", "-q");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(variable, result.Stderr);
    }

    [Fact]
    public void Every_variable_the_compose_file_reads_is_documented_in_the_example_env()
    {
        // `$${...}` is escaped for the container's shell, not a compose variable.
        var used = Regex.Matches(File.ReadAllText(DeploymentFiles.Compose), @"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
        var documented = DeploymentFiles.ReadEnvFile(DeploymentFiles.EnvExample).Select(kv => kv.Key).ToHashSet();

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(documented));
    }

    [Fact]
    public void The_example_env_holds_no_usable_secret()
    {
        var env = DeploymentFiles.ReadEnvFile(DeploymentFiles.EnvExample).ToDictionary(kv => kv.Key, kv => kv.Value);

        foreach (var secret in new[] { "POSTGRES_PASSWORD", "REDIS_PASSWORD", "JWT_SIGNING_KEY", "MEDIA_SIGNING_KEY" })
        {
            // The hosts refuse sample values (Learning.Hosting.SampleValues: keys, and passwords in connection strings),
            // so a placeholder copied unchanged stops them instead of reaching production.
            Assert.True(SampleValues.HasSampleMarker(env[secret]), $"{secret}'s placeholder would not be refused");
        }

        Assert.Equal("", env["BOOTSTRAP_ADMIN_PASSWORD"]);
    }

    [Fact]
    public void Only_the_internal_api_and_the_edge_publish_ports_on_loopback_by_default()
    {
        Assert.Equal(new[] { "api", "api-internal", "migrate", "nginx", "postgres", "redis", "silo" }, Compose.Services.Keys.Order());
        Assert.Equal(new[] { "api-internal", "nginx" }, Compose.Services.Values.Where(s => s.Has("ports")).Select(s => s.Name).Order());
        Assert.Equal(new[] { "${API_BIND:-127.0.0.1}:${API_PORT:-8080}:8080" }, Compose.Services["api-internal"].Items("ports"));
        Assert.Equal(
            new[] { "${EDGE_BIND:-127.0.0.1}:${HTTPS_PORT:-443}:443", "${EDGE_BIND:-127.0.0.1}:${HTTP_PORT:-80}:80" },
            Compose.Services["nginx"].Items("ports"));
        // The public replicas are scaled (`--scale api=2`): a host port would collide, and they are reached through nginx.
        Assert.False(Compose.Services["api"].Has("ports"));
        Assert.False(Compose.Services["api"].Has("container_name"));
        Assert.DoesNotContain(Compose.Services.Values, s => s.Has("network_mode") || s.Has("expose"));
    }

    [Fact]
    public void Silos_can_be_scaled_and_advertise_their_own_ip()
    {
        var silo = Compose.Services["silo"];

        Assert.False(silo.Has("container_name"), "a fixed container_name makes `--scale silo=N` fail");
        Assert.False(silo.Has("ports"), "host ports would collide between replicas");
        Assert.False(silo.Has("hostname"));
        var env = silo.Mapping("environment");
        foreach (var key in new[] { "ConnectionStrings__Postgres", "ConnectionStrings__Redis", "Cluster__ClusterId", "Cluster__ServiceId" })
        {
            Assert.True(env.ContainsKey(key), $"silo environment lacks {key}");
        }

        Assert.Equal("Production", env["DOTNET_ENVIRONMENT"]);
        Assert.Contains("Cluster__AdvertisedIp", silo.Text("entrypoint"));
        Assert.Contains("exec dotnet Learning.Silo.dll", silo.Text("entrypoint"));
        // Longer than the silo's 30 s graceful shutdown, or `docker stop` kills it while grains store their state.
        Assert.True(ParseSeconds(silo.Text("stop_grace_period")) > 30);
    }

    [Fact]
    public void Services_wait_for_healthy_dependencies_and_for_the_migration()
    {
        Assert.Equal(new[] { "postgres=service_healthy" }, Conditions("migrate"));
        Assert.Equal(
            new[] { "migrate=service_completed_successfully", "postgres=service_healthy", "redis=service_healthy" },
            Conditions("silo"));
        var api = Compose.Services["api"].DependsOn();
        Assert.Equal("service_healthy", api["postgres"]);
        Assert.Equal("service_healthy", api["redis"]);
        Assert.Contains(api["silo"], new[] { "service_started", "service_healthy" });

        Assert.Contains("pg_isready", Compose.Services["postgres"].Text("healthcheck"));
        Assert.Contains("redis-cli ping", Compose.Services["redis"].Text("healthcheck"));
        Assert.Equal("postgres:15", Compose.Services["postgres"].Text("image"));
        Assert.Equal("redis:7", Compose.Services["redis"].Text("image"));
        Assert.Equal("[\"migrate\"]", Compose.Services["migrate"].Text("command"));
        Assert.Equal("\"no\"", Compose.Services["migrate"].Text("restart"));
    }

    [Fact]
    public void The_api_is_a_cluster_client_configured_from_the_env_file()
    {
        var env = Compose.Services["api"].Mapping("environment");

        Assert.Equal("Client", env["Cluster__Mode"]);
        Assert.Equal("Production", env["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal(Compose.Services["silo"].Mapping("environment")["ConnectionStrings__Postgres"], env["ConnectionStrings__Postgres"]);
        Assert.Equal(Compose.Services["silo"].Mapping("environment")["Cluster__ClusterId"], env["Cluster__ClusterId"]);
        Assert.StartsWith("${JWT_SIGNING_KEY:?", env["Jwt__SigningKey"]);
        Assert.StartsWith("${MEDIA_SIGNING_KEY:?", env["Media__SigningKey"]);
        Assert.StartsWith("${ALLOWED_HOSTS:?", env["AllowedHosts"]);
        Assert.False(env.ContainsKey("Bootstrap__AdminEmail"), "only api-internal creates the first admin");
        var internalEnv = Compose.Services["api-internal"].Mapping("environment");
        Assert.StartsWith("${BOOTSTRAP_ADMIN_EMAIL", internalEnv["Bootstrap__AdminEmail"]);
        Assert.StartsWith("${BOOTSTRAP_ADMIN_PASSWORD", internalEnv["Bootstrap__AdminPassword"]);
        Assert.Equal("false", env["Console__Enabled"]);
        Assert.Equal("true", internalEnv["Console__Enabled"]);
        // Secrets come from docker/.env only: no literal value for any of them in the compose file.
        Assert.All(Compose.Services.Values.SelectMany(s => s.Has("environment") ? s.Mapping("environment") : new Dictionary<string, string>()),
            kv => Assert.False(
                Regex.IsMatch(kv.Key, "Password|SigningKey", RegexOptions.IgnoreCase) && !kv.Value.StartsWith("${"),
                $"{kv.Key} has a literal value in the compose file"));
    }

    [Theory]
    [InlineData("silo", "silo")]
    [InlineData("migrate", "silo")]
    [InlineData("api", "api")]
    public void Silos_and_the_api_present_cluster_tls_certificates_mounted_as_secrets(string service, string certificate)
    {
        var env = Compose.Services[service].Mapping("environment");

        Assert.Equal("/run/secrets/cluster-ca", env["Cluster__Tls__CaPath"]);
        Assert.Equal($"/run/secrets/{certificate}-cert", env["Cluster__Tls__CertificatePath"]);
        Assert.Equal($"/run/secrets/{certificate}-key", env["Cluster__Tls__KeyPath"]);
        Assert.False(env.ContainsKey("Cluster__Tls__AllowInsecure"), "the compose deployment runs with TLS, not the waiver");
        Assert.Equal($"[cluster-ca, {certificate}-cert, {certificate}-key]", Compose.Services[service].Text("secrets"));
        var secrets = string.Join("\n", Compose.TopLevelBlock("secrets")!);
        Assert.Contains($"{certificate}-key:\n    file: ${{CLUSTER_TLS_DIR:?", secrets);
    }

    [Fact]
    public void Images_are_built_from_the_dockerfile_targets_and_persisted_data_lives_in_named_volumes()
    {
        var dockerfile = new DockerfileText(File.ReadAllText(DeploymentFiles.Dockerfile));
        var siloBuild = Compose.Anchor("silo-build");
        Assert.Contains(siloBuild, l => l.Trim() == "target: silo");
        Assert.Contains("target: api", Compose.Services["api"].Text("build"));
        Assert.Contains("dockerfile: docker/Dockerfile", Compose.Services["api"].Text("build"));
        Assert.Equal("*silo-build", Compose.Services["silo"].Text("build"));
        Assert.Equal("*silo-build", Compose.Services["migrate"].Text("build"));
        Assert.Equal(Compose.Services["silo"].Text("image"), Compose.Services["migrate"].Text("image"));
        _ = dockerfile.Stage("silo");
        _ = dockerfile.Stage("api");

        var volumes = Compose.TopLevelBlock("volumes")!;
        Assert.Contains(volumes, l => l.Trim().StartsWith("postgres-data:"));
        Assert.Contains(volumes, l => l.Trim().StartsWith("redis-data:"));
        Assert.Contains("postgres-data:/var/lib/postgresql/data", Compose.Services["postgres"].Text("volumes"));
        Assert.Contains("redis-data:/data", Compose.Services["redis"].Text("volumes"));
    }

    [Fact]
    public async Task The_silo_entrypoint_advertises_an_ip_and_hands_over_to_dotnet()
    {
        using var folder = new TempFolder();
        // A stand-in for dotnet that reports what it was started with.
        var fake = Path.Combine(folder.Path, "dotnet");
        File.WriteAllText(fake, "#!/bin/sh\necho \"ARGS=$*\"\necho \"IP=$Cluster__AdvertisedIp\"\n");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the compose scripts run in Linux containers");
        }

        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Compose turns `$$` into `$` before the container's shell sees the script.
        var script = Compose.Services["silo"].BlockScalarItem("entrypoint").Replace("$$", "$");
        var path = $"{folder.Path}:{Environment.GetEnvironmentVariable("PATH")}";

        var given = await ProcessRunner.RunAsync("sh", ["-c", script, "silo"], Timeout,
            new Dictionary<string, string?> { ["PATH"] = path, ["Cluster__AdvertisedIp"] = "10.1.2.3" });
        Assert.True(given.ExitCode == 0, given.ToString());
        Assert.Contains("ARGS=Learning.Silo.dll\n", given.Stdout);
        Assert.Contains("IP=10.1.2.3\n", given.Stdout);

        var withCommand = await ProcessRunner.RunAsync("sh", ["-c", script, "silo", "migrate"], Timeout,
            new Dictionary<string, string?> { ["PATH"] = path, ["Cluster__AdvertisedIp"] = "10.1.2.3" });
        Assert.Contains("ARGS=Learning.Silo.dll migrate\n", withCommand.Stdout);

        var loopback = await ProcessRunner.RunAsync("sh", ["-c", script, "silo"], Timeout,
            new Dictionary<string, string?> { ["PATH"] = path, ["Cluster__AdvertisedIp"] = "127.0.0.1" });
        Assert.Equal(1, loopback.ExitCode);
        Assert.Contains("no container IP", loopback.Stderr);
        Assert.DoesNotContain("ARGS=", loopback.Stdout);

        // Unset: looked up from this machine's host name (in a container, its IP on the compose network). Outside
        // Docker that may well be loopback, which must be refused rather than advertised.
        var lookedUp = await ProcessRunner.RunAsync("sh", ["-c", script, "silo"], Timeout,
            new Dictionary<string, string?> { ["PATH"] = path, ["Cluster__AdvertisedIp"] = null });
        if (lookedUp.ExitCode == 0)
        {
            var ip = Regex.Match(lookedUp.Stdout, @"IP=(\S+)").Groups[1].Value;
            Assert.True(IPAddress.TryParse(ip, out var address) && !IPAddress.IsLoopback(address), lookedUp.ToString());
        }
        else
        {
            Assert.Contains("no container IP", lookedUp.Stderr);
        }
    }

    private static IEnumerable<string> Conditions(string service) =>
        Compose.Services[service].DependsOn().Select(d => $"{d.Key}={d.Value}").Order();

    private static double ParseSeconds(string value) =>
        Regex.Match(value, @"^(\d+)s$") is { Success: true } m ? double.Parse(m.Groups[1].Value) : throw new FormatException(value);

    /// <summary>docker-compose v1 with only the given env file (none of this process's values for its variables).</summary>
    private static async Task<ProcessResult> ComposeAsync(string envFile, params string[] arguments)
    {
        var compose = ProcessRunner.Find("docker-compose")
            ?? throw new InvalidOperationException("docker-compose is not installed (scripts/test.sh installs it: apt-get install docker-compose)");
        var environment = DeploymentFiles.ReadEnvFile(DeploymentFiles.EnvExample)
            .ToDictionary(kv => kv.Key, string? (_) => null);
        return await ProcessRunner.RunAsync(compose, ["--env-file", envFile, "-f", DeploymentFiles.Compose, .. arguments], Timeout, environment);
    }
}

/// <summary>A temporary folder removed on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("learning-deploy-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind harms nobody.
        }
    }
}
