using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Learning.TestSupport;

namespace Learning.DeploymentTests;

/// <summary>
/// docker/Dockerfile agrees with the projects: its stages copy what the build needs, publish the right projects
/// and start the assemblies they produce, as the non-root user, with health checks that work with the tools the
/// image has. No Docker engine here: the build stages are replayed on this machine instead (same commands, a copy
/// of the same context).
/// </summary>
public sealed class PublishOutputTests
{
    private const string SdkImage = "mcr.microsoft.com/dotnet/sdk:10.0";
    private const string RuntimeImage = "mcr.microsoft.com/dotnet/aspnet:10.0";

    private static readonly DockerfileText Dockerfile = new(File.ReadAllText(DeploymentFiles.Dockerfile));

    public static TheoryData<string, string> Images => new() { { "silo", "Silo/Silo.csproj" }, { "api", "Api/Api.csproj" } };

    [Theory]
    [MemberData(nameof(Images))]
    public void The_image_starts_the_assembly_its_publish_stage_builds(string target, string project)
    {
        var final = Dockerfile.Stage(target);
        Assert.Equal(RuntimeImage, final.From);

        // The program comes from a publish stage that publishes exactly this project to /app.
        var copy = Assert.Single(final.All("COPY")).CopyParts();
        var publishStage = Dockerfile.Stage(copy.Flags["from"]);
        Assert.Equal(new[] { "/app" }, copy.Sources);
        var publish = Assert.Single(publishStage.All("RUN"), r => r.Arguments.Contains("dotnet publish"));
        var published = Regex.Match(publish.Arguments, @"dotnet publish (\S+\.csproj) -c Release -o /app --no-restore(\s|$)");
        Assert.True(published.Success, publish.Arguments);
        Assert.Equal(project, published.Groups[1].Value);

        var assembly = AssemblyName(project);
        Assert.Equal(new[] { "dotnet", $"{assembly}.dll" }, JsonSerializer.Deserialize<string[]>(final.Last("ENTRYPOINT")!.Arguments));
        // The same program scripts/cluster.sh starts outside Docker.
        Assert.Contains($"{assembly}.dll", File.ReadAllText(DeploymentFiles.Path("scripts", "cluster.sh")));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_image_runs_as_the_non_root_app_user_and_has_a_health_check(string target, string project)
    {
        _ = project;
        var final = Dockerfile.Stage(target);
        var users = final.All("USER").Select(u => u.Arguments).ToList();

        Assert.Equal(new[] { "$APP_UID" }, users);
        var userAt = final.Instructions.FindIndex(i => i.Name == "USER");
        Assert.True(userAt < final.Instructions.FindIndex(i => i.Name == "ENTRYPOINT"));
        // Nothing after USER may need root.
        Assert.DoesNotContain(final.Instructions.Skip(userAt), i => i.Name is "RUN" or "COPY" or "ADD");
        var healthcheck = Assert.Single(final.All("HEALTHCHECK"));
        Assert.Equal("bash", HealthcheckCommand(target)[0]);
        Assert.Matches(@"--interval=\d+s .*--timeout=\d+s", healthcheck.Arguments);
        Assert.Equal("SIGTERM", final.Last("STOPSIGNAL")?.Arguments);
    }

    [Fact]
    public void The_exposed_ports_are_the_hosts_defaults()
    {
        Assert.Equal("11111 30000", Dockerfile.Stage("silo").Last("EXPOSE")!.Arguments);
        Assert.Equal("8080", Dockerfile.Stage("api").Last("EXPOSE")!.Arguments);
        Assert.Contains(Dockerfile.Stage("api").All("ENV"), e => e.Arguments.Contains("ASPNETCORE_URLS=http://+:8080"));
    }

    [Fact]
    public void The_restore_layer_copies_only_what_restore_reads_and_every_project_the_hosts_reference()
    {
        var restore = Dockerfile.Stages[0];
        Assert.Equal(SdkImage, restore.From);
        var restoreAt = restore.Instructions.FindIndex(i => i.Name == "RUN" && i.Arguments.Contains("dotnet restore"));
        Assert.True(restoreAt > 0, "no RUN dotnet restore in the first stage");
        var beforeRestore = restore.Instructions.Take(restoreAt).Where(i => i.Name == "COPY").SelectMany(i => i.CopyParts().Sources).ToList();

        // Only files restore reads: source changes must not invalidate the package layer.
        Assert.Contains("global.json", beforeRestore);
        Assert.All(beforeRestore, source => Assert.Matches(@"^(global\.json|Directory\.[\w.]+\.(props|targets)|[\w.]+\.sln|[\w./]+\.csproj)$", source));
        // Every build-wide file at the root is there (a new Directory.Build.targets or nuget.config must be added).
        var rootFiles = Directory.GetFiles(DeploymentFiles.Root)
            .Select(Path.GetFileName)
            .Where(f => Regex.IsMatch(f!, @"^(global\.json|Directory\..+\.(props|targets)|nuget\.config)$", RegexOptions.IgnoreCase));
        Assert.Contains("global.json", rootFiles);
        Assert.All(rootFiles, f => Assert.Contains(f!, beforeRestore));

        var projects = ProjectClosure("Silo/Silo.csproj", "Api/Api.csproj");
        Assert.Contains("Grains/Grains.csproj", projects);
        Assert.Equal(projects.Order(), beforeRestore.Where(s => s.EndsWith(".csproj")).Order());
        foreach (var entry in new[] { "Silo/Silo.csproj", "Api/Api.csproj" })
        {
            Assert.Contains($"dotnet restore {entry}", restore.Instructions[restoreAt].Arguments);
        }

        // ... and each project's sources are copied after the restore.
        var sourceFolders = Dockerfile.Stages.Skip(1)
            .TakeWhile(s => s.From != RuntimeImage)
            .SelectMany(s => s.All("COPY"))
            .Where(c => !c.CopyParts().Flags.ContainsKey("from"))
            .SelectMany(c => c.CopyParts().Sources)
            .ToList();
        Assert.All(projects, p => Assert.Contains(p.Split('/')[0] + "/", sourceFolders));
    }

    [Fact]
    public void The_dockerignore_keeps_host_build_output_and_secrets_out_of_the_context()
    {
        var ignore = new DockerIgnore(File.ReadAllText(DeploymentFiles.DockerIgnore));

        foreach (var path in new[]
                 {
                     "Silo/bin/Release/net10.0/Learning.Silo.dll", "Api/obj/project.assets.json", "Grains/obj/x.cs", ".git/HEAD",
                     "docker/.env", ".env", "docker/certs/silo.key", ".cluster/pids/api.pid", "tests/UnitTests/bin/a.dll", "backups/learning.dump",
                 })
        {
            Assert.True(ignore.IsExcluded(path), $"{path} would be sent to the Docker build");
        }

        foreach (var path in new[]
                 {
                     "global.json", "Directory.Build.props", "Directory.Packages.props", "Orleans.Learning.sln", "Silo/Silo.csproj",
                     "Silo/Program.cs", "Silo/appsettings.json", "Api/appsettings.json", "Persistence/Migrations/0001_orleans_grain_storage.sql",
                     "Grains/Hosting/ClusterSettings.cs", "docker/Dockerfile",
                 })
        {
            Assert.False(ignore.IsExcluded(path), $"{path} is needed by the build but excluded by .dockerignore");
        }
    }

    [Fact]
    public async Task The_silo_health_check_is_healthy_while_both_ports_listen()
    {
        var command = HealthcheckCommand("silo");
        using var silo = new TcpListener(IPAddress.Any, 0);
        using var gateway = new TcpListener(IPAddress.IPv6Any, 0);
        silo.Start();
        gateway.Start();
        var ports = new Dictionary<string, string?>
        {
            ["Cluster__SiloPort"] = ((IPEndPoint)silo.LocalEndpoint).Port.ToString(),
            ["Cluster__GatewayPort"] = ((IPEndPoint)gateway.LocalEndpoint).Port.ToString(),
        };

        var up = await RunAsync(command, ports);
        Assert.True(up.ExitCode == 0, up.ToString());

        gateway.Stop();
        Assert.NotEqual(0, (await RunAsync(command, ports)).ExitCode);
    }

    [Theory]
    [InlineData("200 OK", "api.example.com;localhost", 0, "api.example.com")]
    [InlineData("308 Permanent Redirect", "*.example.com", 0, "health.example.com")]
    [InlineData("503 Service Unavailable", "api.example.com", 1, "api.example.com")]
    [InlineData("400 Bad Request", null, 1, "localhost")]
    public async Task The_api_health_check_asks_health_live_with_an_allowed_host(string status, string? allowedHosts, int exitCode, string host)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var request = AnswerOnceAsync(server, status);

        var result = await RunAsync(HealthcheckCommand("api"), new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://+:{((IPEndPoint)server.LocalEndpoint).Port}",
            ["AllowedHosts"] = allowedHosts,
        });

        Assert.True(exitCode == 0 ? result.ExitCode == 0 : result.ExitCode != 0, result.ToString());
        var received = await request.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("GET /health/live HTTP/1.1\r\n", received);
        Assert.Contains($"\r\nHost: {host}\r\n", received);
    }

    [Fact]
    public async Task The_api_health_check_fails_when_nothing_listens()
    {
        var port = FreePort.Next();
        var result = await RunAsync(HealthcheckCommand("api"), new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://+:{port}" });
        Assert.NotEqual(0, result.ExitCode);
    }

    /// <summary>
    /// The build stages replayed: their COPY instructions applied to a temporary folder (honouring .dockerignore),
    /// their ENV, WORKDIR and RUN commands executed there with /app redirected. Proves the copied set builds on its
    /// own and the publish output holds what the entrypoints start.
    /// </summary>
    [Fact]
    public async Task The_build_stages_publish_both_hosts_from_the_copied_files_alone()
    {
        using var folder = new TempFolder();
        var ignore = new DockerIgnore(File.ReadAllText(DeploymentFiles.DockerIgnore));
        var report = new StringBuilder("Docker build stages replayed without Docker (docker/Dockerfile):\n");
        var total = Stopwatch.StartNew();

        // A stage starts with the working folder and environment its FROM stage ended with, as in Docker.
        var ended = new Dictionary<string, (string Workdir, Dictionary<string, string?> Environment)>();
        foreach (var stage in BuildStages())
        {
            var start = ended.TryGetValue(stage.From, out var parent)
                ? (parent.Workdir, new Dictionary<string, string?>(parent.Environment))
                : ("/", BuildEnvironment());
            ended[stage.Name] = await ReplayAsync(stage, start.Item1, start.Item2, folder.Path, ignore, report);
        }

        report.AppendLine($"  total: {total.Elapsed.TotalSeconds:F1} s");
        TestReport.Write("deployment-publish", report.ToString());

        foreach (var (stage, project) in new[] { ("publish-silo", "Silo/Silo.csproj"), ("publish-api", "Api/Api.csproj") })
        {
            var output = Path.Combine(folder.Path, "out", stage);
            var assembly = AssemblyName(project);
            foreach (var file in new[] { $"{assembly}.dll", $"{assembly}.runtimeconfig.json", $"{assembly}.deps.json", "appsettings.json" })
            {
                Assert.True(File.Exists(Path.Combine(output, file)), $"{stage}: {file} missing in the publish output");
            }

            Assert.False(File.Exists(Path.Combine(output, assembly)), "UseAppHost=false: no native launcher expected");
            // The runtime image (aspnet) carries both shared frameworks; nothing else may be required.
            using var runtimeConfig = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, $"{assembly}.runtimeconfig.json")));
            var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
            var frameworks = options.TryGetProperty("frameworks", out var many)
                ? many.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList()
                : [options.GetProperty("framework").GetProperty("name").GetString()!];
            Assert.NotEmpty(frameworks);
            Assert.All(frameworks, f => Assert.Contains(f, new[] { "Microsoft.NETCore.App", "Microsoft.AspNetCore.App" }));
        }
    }

    private static Dictionary<string, string?> BuildEnvironment()
    {
        var environment = new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1" };
        // dotnet test sets MSBuild variables for its own use; a nested build must find its SDK on its own.
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && k != "MSBUILDDISABLENODEREUSE"))
        {
            environment[key] = null;
        }

        return environment;
    }

    private static async Task<(string Workdir, Dictionary<string, string?> Environment)> ReplayAsync(
        DockerStage stage, string workdir, Dictionary<string, string?> environment, string root, DockerIgnore ignore, StringBuilder report)
    {
        string Local(string containerPath) =>
            Path.Combine(root, (containerPath.StartsWith('/') ? containerPath : Path.Combine(workdir, containerPath)).TrimStart('/'));

        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Name)
            {
                case "ENV":
                    foreach (Match pair in Regex.Matches(instruction.Arguments, @"(\w+)=(\S*)"))
                    {
                        environment[pair.Groups[1].Value] = pair.Groups[2].Value;
                    }

                    break;
                case "WORKDIR":
                    workdir = instruction.Arguments;
                    Directory.CreateDirectory(Local(workdir));
                    break;
                case "COPY":
                    var (flags, sources, destination) = instruction.CopyParts();
                    Assert.Empty(flags);
                    CopyFromContext(sources, Local(destination), destination.EndsWith('/') || sources.Count > 1, ignore);
                    break;
                case "RUN":
                    var command = Regex.Replace(instruction.Arguments, @"(?<=\s)/app(?=\s|$)", Path.Combine(root, "out", stage.Name));
                    var watch = Stopwatch.StartNew();
                    var result = await ProcessRunner.RunAsync("sh", ["-c", command], TimeSpan.FromMinutes(5), environment, Local(workdir));
                    report.AppendLine($"  {stage.Name}: {instruction.Arguments} — {watch.Elapsed.TotalSeconds:F1} s");
                    Assert.True(result.ExitCode == 0, $"stage {stage.Name}: RUN {instruction.Arguments} failed: {result}");
                    break;
                default:
                    throw new NotSupportedException($"stage {stage.Name}: the replay does not know {instruction.Name}; extend it");
            }
        }

        return (workdir, environment);
    }

    private static void CopyFromContext(List<string> sources, string destination, bool intoFolder, DockerIgnore ignore)
    {
        foreach (var source in sources)
        {
            Assert.DoesNotMatch(@"[*?\[]", source);
            var full = Path.Combine(DeploymentFiles.Root, source.TrimEnd('/'));
            if (Directory.Exists(full))
            {
                // A folder source copies its contents into the destination folder.
                foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
                {
                    var relative = Path.GetRelativePath(DeploymentFiles.Root, file).Replace('\\', '/');
                    if (!ignore.IsExcluded(relative))
                    {
                        var target = Path.Combine(destination, Path.GetRelativePath(full, file));
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        File.Copy(file, target, overwrite: true);
                    }
                }
            }
            else
            {
                Assert.True(File.Exists(full), $"COPY {source}: not in the repository");
                Assert.False(ignore.IsExcluded(source), $"COPY {source}: excluded from the context by .dockerignore");
                var target = intoFolder ? Path.Combine(destination, Path.GetFileName(full)) : destination;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(full, target, overwrite: true);
            }
        }
    }

    /// <summary>The stages the final images depend on (FROM parents and COPY --from), in file order.</summary>
    private static List<DockerStage> BuildStages()
    {
        var needed = new HashSet<string>();
        void Need(string name)
        {
            var stage = Dockerfile.Stages.SingleOrDefault(s => s.Name == name);
            if (stage is null || !needed.Add(name))
            {
                return;
            }

            Need(stage.From);
            foreach (var copy in stage.All("COPY").Select(c => c.CopyParts().Flags).Where(f => f.ContainsKey("from")))
            {
                Need(copy["from"]);
            }
        }

        Need("silo");
        Need("api");
        return Dockerfile.Stages.Where(s => needed.Contains(s.Name) && s.Name is not ("silo" or "api")).ToList();
    }

    private static string[] HealthcheckCommand(string target)
    {
        var arguments = Dockerfile.Stage(target).Last("HEALTHCHECK")!.Arguments;
        var json = Regex.Match(arguments, @"\bCMD\s+(\[.*\])\s*$");
        Assert.True(json.Success, $"HEALTHCHECK of {target} is not in exec (JSON) form: {arguments}");
        return JsonSerializer.Deserialize<string[]>(json.Groups[1].Value)!;
    }

    private static Task<ProcessResult> RunAsync(string[] command, Dictionary<string, string?> environment) =>
        ProcessRunner.RunAsync(command[0], command[1..], TimeSpan.FromSeconds(30), environment);

    private static async Task<string> AnswerOnceAsync(TcpListener server, string status)
    {
        using var client = await server.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n"))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        return request.ToString();
    }

    private static string AssemblyName(string project) =>
        XDocument.Load(DeploymentFiles.Path(project.Split('/'))).Descendants("AssemblyName").Single().Value;

    /// <summary>The projects (repository-relative, '/') reachable from the given ones through ProjectReference.</summary>
    private static SortedSet<string> ProjectClosure(params string[] projects)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(projects);
        while (pending.TryDequeue(out var project))
        {
            if (!found.Add(project))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(DeploymentFiles.Path(project.Split('/')))!;
            foreach (var reference in XDocument.Load(DeploymentFiles.Path(project.Split('/'))).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Enqueue(Path.GetRelativePath(DeploymentFiles.Root, full).Replace('\\', '/'));
            }
        }

        return found;
    }
}
