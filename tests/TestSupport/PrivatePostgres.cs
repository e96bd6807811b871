using System.Diagnostics;
using Npgsql;

namespace Learning.TestSupport;

/// <summary>
/// A PostgreSQL server of a test's own (initdb in a temporary folder), for tests that stop the database:
/// stopping the shared one would fail every other test running beside them.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly int _port;

    private PrivatePostgres(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        _port = port;
    }

    /// <summary>Short timeouts, so an outage answers in seconds instead of waiting out Npgsql's defaults.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=5";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("TEST_PG_BIN") is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException("TEST_PG_BIN is not set: run the tests with scripts/test.sh.");
        var folder = Directory.CreateTempSubdirectory("learning-pg-").FullName;
        await RunAsync("chown", "-R", "postgres:postgres", folder);
        var server = new PrivatePostgres(bin, folder, FreePort.Next());
        await server.AsPostgresAsync(Path.Combine(bin, "initdb"), "-D", server.Data, "-A", "trust", "-U", "postgres", "--no-sync");
        await server.StartServerAsync();
        return server;
    }

    private string Data => Path.Combine(_folder, "data");

    public Task StartServerAsync() => AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_folder, "log"), "-w",
        "-o", $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    public async Task StopServerAsync()
    {
        await AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "fast", "-w", "stop");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Stops and starts the server as an operator's restart does: this process's pools still hold connections to the old
    /// server afterwards (unlike <see cref="StopServerAsync"/>, which clears them).
    /// </summary>
    public async Task RestartServerAsync()
    {
        await AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "fast", "-w", "stop");
        await StartServerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            await AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task AsPostgresAsync(params string[] command) => RunAsync("runuser", ["-u", "postgres", "--", .. command]);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        }
    }
}
