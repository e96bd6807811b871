using System.Net;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Learning.FunctionalTests.Hardening;

/// <summary>The embedded default as <c>dotnet run --project Api</c> starts it: no ports to configure, a calm shutdown.</summary>
// Beside the other tests: each host's metrics, logs and in-memory store are its own (MetricsIsolationTests, LoggingTests).
[Collection(EmbeddedHostsCollection.Name)]
public sealed class EmbeddedHostTests(EmbeddedHosts hosts)
{
    [Fact]
    public async Task Two_embedded_hosts_start_side_by_side_without_configured_ports()
    {
        var (first, second) = (hosts.First, hosts.Second);

        (await first.CreateApiClient().Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
        (await second.CreateApiClient().Get("/api/courses")).AssertStatus(HttpStatusCode.OK);

        var endpoints = new[] { first, second }.Select(f => f.Services.GetRequiredService<IOptions<EndpointOptions>>().Value).ToList();
        Assert.NotEqual(endpoints[0].SiloPort, endpoints[1].SiloPort);
        Assert.All(endpoints, e => Assert.NotEqual(EndpointOptions.DEFAULT_SILO_PORT, e.SiloPort));
        // The API is the co-hosted silo's client in-process: no gateway is opened.
        Assert.All(endpoints, e => Assert.Equal(0, e.GatewayPort));
    }

    [Fact]
    public async Task Shutting_down_after_activity_logs_no_error_and_says_what_memory_mode_drops()
    {
        var logFile = Path.Combine(Directory.CreateTempSubdirectory("learning-logs-").FullName, "api.log");
        using (var factory = new FileLoggingFactory(logFile))
        {
            var api = factory.CreateApiClient();
            foreach (var _ in Enumerable.Range(0, 5))
            {
                var (session, device) = await api.SignUpWithDevice();
                var started = (await api.StartVideo(session, (await api.LessonIds())[0], device)).AssertStatus(HttpStatusCode.Created).Json;
                // Heartbeats stay in the grain's memory until it deactivates: the shutdown must store them.
                await api.Heartbeat(session, started.GetProperty("session_token").GetString()!, 5);
            }
        }

        // Log events are written by a background thread; give the last ones a moment to reach the file.
        var log = "";
        for (var attempt = 0; attempt < 50 && !log.Contains("In-memory storage:", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            await using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            log = await new StreamReader(stream).ReadToEndAsync();
        }

        Assert.Contains("In-memory storage:", log);
        Assert.DoesNotContain("\"@l\":\"Error\"", log);
        Assert.DoesNotContain("\"@l\":\"Fatal\"", log);
    }

    private sealed class FileLoggingFactory(string path) : LearningApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Logging:File:Path", path)];
    }
}
