using System.Diagnostics;
using System.Text;

namespace Learning.TestSupport;

/// <summary>
/// Real silo and API processes, started and stopped through <c>scripts/cluster.sh</c> (the script operators use),
/// on a database of their own and a cluster id of their own in the test Redis.
/// </summary>
public sealed class ScriptedCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    private ScriptedCluster(Dictionary<string, string> environment, string postgres)
    {
        _environment = environment;
        Postgres = postgres;
    }

    public string Postgres { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public string StateFolder => _environment["CLUSTER_DIR"];

    /// <summary>The port silo <paramref name="index"/> (1, 2, ...) accepts clients on.</summary>
    public int GatewayPort(int index) => int.Parse(_environment["GATEWAY_PORT_BASE"]) + index;

    /// <param name="postgres">A database of the test's own (e.g. on a <see cref="PrivatePostgres"/> it stops); a fresh one on the
    /// test server when null.</param>
    public static async Task<ScriptedCluster> UpAsync(int silos, string? postgres = null)
    {
        postgres ??= await PostgresDatabase.CreateAsync(migrate: false);
        var environment = new Dictionary<string, string>
        {
            ["NO_BUILD"] = "1",
            ["CLUSTER_DIR"] = Directory.CreateTempSubdirectory("learning-cluster-").FullName,
            ["CLUSTER_POSTGRES"] = postgres,
            ["CLUSTER_REDIS"] = BackingServices.Redis,
            ["CLUSTER_ID"] = $"test-{Guid.NewGuid():N}",
            ["API_PORT"] = FreePort.Next().ToString(),
            ["SILO_PORT_BASE"] = (20000 + Random.Shared.Next(0, 2000) * 10).ToString(),
            ["GATEWAY_PORT_BASE"] = (42000 + Random.Shared.Next(0, 2000) * 10).ToString(),
        };
        var cluster = new ScriptedCluster(environment, postgres);
        var output = await cluster.RunAsync("up", silos.ToString());
        cluster.BaseAddress = new Uri(output.Trim().Split('\n')[^1].Trim());
        return cluster;
    }

    public Task<string> KillSiloAsync(int index) => RunAsync("kill", index.ToString());

    public Task<string> RestartSiloAsync(int index) => RunAsync("restart", index.ToString());

    public async ValueTask DisposeAsync()
    {
        await RunAsync("down");
        Directory.Delete(StateFolder, recursive: true);
    }

    public async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "scripts", "cluster.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stderr}\n{await stdout}");
        }

        return await stdout;
    }

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Orleans.Learning.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Orleans.Learning.sln not found above the test binaries.");
    }
}

/// <summary>Figures a test wants an operator to see: written where scripts/test.sh prints them after the run.</summary>
public static class TestReport
{
    public static void Write(string name, string text)
    {
        var folder = Environment.GetEnvironmentVariable("TEST_REPORT_DIR");
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, $"{name}.txt"), text, new UTF8Encoding(false));
        }
    }
}
