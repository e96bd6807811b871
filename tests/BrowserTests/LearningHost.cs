using System.Diagnostics;
using System.Reflection;
using System.Text;
using Learning.TestSupport;

namespace Learning.BrowserTests;

/// <summary>
/// The real API host as a child process (<c>dotnet Learning.Api.dll</c>, built by this project's build), in Development,
/// on a free loopback port, with its mail pickup and media folders in a temporary folder of its own. Its output goes to
/// <see cref="LogPath"/>; <see cref="LogTail"/> gives the end of it for failure messages.
/// </summary>
public sealed class LearningHost : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock logLock = new();

    private LearningHost(Process process, StreamWriter log, string folder, Uri baseUrl)
    {
        this.process = process;
        this.log = log;
        Folder = folder;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>The host's own temporary folder (its working directory): mail, media and the log live here.</summary>
    public string Folder { get; }

    /// <summary><c>Email:PickupDirectory</c>: every mail the host sends lands here as an <c>.eml</c> file.</summary>
    public string MailFolder => Path.Combine(Folder, "mail");

    /// <summary><c>Media:Root</c>: uploaded lesson files.</summary>
    public string MediaFolder => Path.Combine(Folder, "media");

    public string LogPath => Path.Combine(Folder, "host.log");

    /// <summary>
    /// The settings every browser test relies on. Two active devices per user: with one, a second device cannot start
    /// at all (it must transfer), so the conflict and takeover tests could not happen. A 2 s heartbeat interval keeps
    /// tests that wait for the next beat short. The sign-in limit per IP is raised because every test signs in from
    /// 127.0.0.1; the limits themselves are covered by the functional tests.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DefaultSettings { get; } = new Dictionary<string, string>
    {
        ["Limits:MaxActiveDevices"] = "2",
        ["Playback:HeartbeatInterval"] = "00:00:02",
        ["Console:Enabled"] = "true",
        ["Demo:Enabled"] = "true",
        ["RateLimits:SignInPermits"] = "1000",
    };

    /// <summary>Starts the host with <see cref="DefaultSettings"/> overridden by <paramref name="settings"/> and waits until it is ready.</summary>
    public static async Task<LearningHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var apiDll = FindApiAssembly();
        var folder = Directory.CreateTempSubdirectory("learning-browser-host-").FullName;
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("dotnet", [apiDll])
        {
            // Not the repository: nothing the host writes relative to its content root ends up in the working tree.
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = start.Environment;
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/');
        environment["Email__PickupDirectory"] = Path.Combine(folder, "mail");
        environment["Media__Root"] = Path.Combine(folder, "media");
        foreach (var (key, value) in DefaultSettings.Concat(settings ?? new Dictionary<string, string>()))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var log = new StreamWriter(Path.Combine(folder, "host.log"), append: false, Encoding.UTF8) { AutoFlush = true };
        log.WriteLine($"$ dotnet {apiDll} (in {folder}, {baseUrl})");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new LearningHost(process, log, folder, baseUrl);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilReadyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>The last lines the host wrote, for failure messages.</summary>
    public string LogTail(int lines = 80)
    {
        lock (logLock)
        {
            log.Flush();
        }

        using var reader = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var all = new StreamReader(reader).ReadToEnd().Split('\n');
        return $"--- host log ({LogPath}), last {Math.Min(lines, all.Length)} lines ---\n" + string.Join('\n', all.TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lock (logLock)
        {
            log.Dispose();
        }

        Directory.Delete(Folder, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (logLock)
        {
            log.WriteLine(line);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The API host exited with code {process.ExitCode} before it was ready.\n{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but still starting its silo.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new TimeoutException($"The API host was not ready at {BaseUrl}health/ready within {ReadyTimeout.TotalSeconds} s.\n{LogTail()}");
    }

    /// <summary>
    /// Api/bin/&lt;this test assembly's configuration&gt;/net10.0/Learning.Api.dll: this project references the Api
    /// project (without its assembly), so building the tests builds it there.
    /// </summary>
    private static string FindApiAssembly()
    {
        var configuration = typeof(LearningHost).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var dll = Path.Combine(Repository.Root, "Api", "bin", configuration, "net10.0", "Learning.Api.dll");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"{dll} does not exist: build the tests first (dotnet build tests/BrowserTests -c {configuration}).");
    }
}
