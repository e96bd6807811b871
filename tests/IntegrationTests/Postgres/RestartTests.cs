using System.Net;
using System.Text.Json;
using Learning.TestSupport;

namespace Learning.IntegrationTests.Postgres;

/// <summary>Everything a user has survives stopping the silo and starting a new one on the same database.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Devices_sessions_refresh_families_lockouts_and_audit_survive_a_restart()
    {
        var database = await PostgresDatabase.CreateAsync();
        string lockedEmail, lessonId, sessionToken, rotatedRefresh, currentRefresh;
        Session learner;
        List<string?> auditBefore;
        using (var before = new PostgresApiFactory(database))
        {
            var api = before.CreateApiClient();
            (learner, var device) = await api.SignUpWithDevice("web-survivor");
            lessonId = (await api.LessonIds())[4];
            sessionToken = (await api.StartVideo(learner, lessonId, device)).Json.GetProperty("session_token").GetString()!;
            before.Clock.Advance(TimeSpan.FromSeconds(15));
            (await api.Heartbeat(learner, sessionToken, 15)).AssertStatus(HttpStatusCode.OK);
            rotatedRefresh = learner.Refresh;
            currentRefresh = (await api.Post("/api/auth/refresh", new { refresh = learner.Refresh })).Json.GetProperty("refresh").GetString()!;

            lockedEmail = ApiClient.NewEmail();
            await api.Register(lockedEmail);
            for (var i = 0; i < 5; i++)
            {
                await api.Login(lockedEmail, "wrong-password");
            }

            auditBefore = Actions((await api.Get("/api/audit-logs?limit=200", learner.Access)).AssertStatus(HttpStatusCode.OK).Json);
            Assert.Equal(["video_start", "device_register", "login", "user_register"], auditBefore);
        }

        using var after = new PostgresApiFactory(database);
        var restarted = after.CreateApiClient();

        (await restarted.Login(lockedEmail)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");
        var devices = (await restarted.Get("/api/devices", learner.Access)).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("web-survivor", Assert.Single(devices.EnumerateArray()).GetProperty("device_id").GetString());
        (await restarted.Heartbeat(learner, sessionToken, 30)).AssertStatus(HttpStatusCode.OK);
        (await restarted.Post("/api/auth/refresh", new { refresh = currentRefresh })).AssertStatus(HttpStatusCode.OK);
        (await restarted.Post("/api/auth/refresh", new { refresh = rotatedRefresh })).AssertProblem(HttpStatusCode.Unauthorized, "token_reused");
        // Loading the locked user's state must not lock anyone else (it once did, through a shared default).
        var again = Session.From(learner.Email, (await restarted.Login(learner.Email)).AssertStatus(HttpStatusCode.OK));
        var audit = (await restarted.Get("/api/audit-logs?limit=200", again.Access)).AssertStatus(HttpStatusCode.OK).Json;
        // Exactly the entries from before, once each (a restart that replays or re-inserts them shows here), and the
        // new ones on top: the reuse revoked the family that started the session, which ended it.
        Assert.Equal(["login", "video_end", "token_reuse_detected", .. auditBefore], Actions(audit));
        Assert.Equal(JsonValueKind.Null, audit.GetProperty("next_cursor").ValueKind);
    }

    private static List<string?> Actions(JsonElement page) =>
        page.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
}
