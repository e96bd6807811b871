using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Hardening;

/// <summary>Log lines carry what operators need (one line per request, with its id) and never a secret.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task No_password_or_token_reaches_the_log_and_every_request_gets_a_line()
    {
        var logFile = Path.Combine(Directory.CreateTempSubdirectory("learning-logs-").FullName, "api.log");
        string[] secrets;
        using (var factory = new FileLoggingFactory(logFile))
        {
            var api = factory.CreateApiClient();
            var (session, device) = await api.SignUpWithDevice();
            var started = (await api.StartVideo(session, (await api.LessonIds())[0], device)).Json;
            var token = started.GetProperty("session_token").GetString()!;
            await api.Heartbeat(session, token, 1);
            var rotated = (await api.Post("/api/auth/refresh", new { refresh = session.Refresh })).Json;
            await api.Login(session.Email, "a-wrong-password-123");
            await api.Post("/api/auth/password", new { current_password = ApiClient.Password, new_password = "velvet-canyon-marmalade" }, rotated.GetProperty("access").GetString());
            await api.Get(started.GetProperty("video_url").GetString()!);
            await api.Send(HttpMethod.Post, "/api/auth/login", ApiClient.JsonContent("{not json"));
            secrets =
            [
                ApiClient.Password, "a-wrong-password-123", "velvet-canyon-marmalade", session.Access, session.Refresh, token,
                rotated.GetProperty("refresh").GetString()!, rotated.GetProperty("access").GetString()!,
                started.GetProperty("video_url").GetString()!.Split("sig=")[1],
            ];
        }

        // Log events are written by a background thread; give the last ones a moment to reach the file.
        var log = "";
        for (var attempt = 0; attempt < 50 && !log.Contains("\"Route\":\"/api/video/heartbeat\""); attempt++)
        {
            await Task.Delay(100);
            log = await ReadSharedAsync(logFile);
        }

        Assert.Contains("\"Route\":\"/api/video/heartbeat\"", log);
        Assert.Contains("\"RequestId\":", log);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, log));
        // Bad input is answered, not an error in the operators' logs.
        Assert.DoesNotContain("\"@l\":\"Error\"", log);
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private sealed class FileLoggingFactory(string path) : LearningApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Logging:File:Path", path)];
    }
}
