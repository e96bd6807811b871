using System.Net;
using Learning.TestSupport;

namespace Learning.IntegrationTests.Postgres;

/// <summary>The contract's flows with grain state and the operators' tables in PostgreSQL.</summary>
[Collection(PostgresApiCollection.Name)]
public sealed class PostgresApiTests(SharedPostgresApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Acknowledged_actions_are_in_the_tables_when_the_response_arrives()
    {
        var (session, device) = await _api.SignUpWithDevice("web-pg");
        var lessonId = (await _api.LessonIds())[0];
        var token = (await _api.StartVideo(session, lessonId, device)).Json.GetProperty("session_token").GetString()!;
        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        await _api.Heartbeat(session, token, 15);
        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        (await _api.EndVideo(session, token, 30)).AssertStatus(HttpStatusCode.OK);
        var userId = Guid.Parse((await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString()!);
        var cs = factory.ConnectionString;

        Assert.Equal(session.Email, await PostgresDatabase.ScalarAsync<string>(cs, "SELECT email FROM users WHERE id = $1", userId));
        Assert.True(await PostgresDatabase.ScalarAsync<bool>(cs, "SELECT is_active FROM devices WHERE user_id = $1 AND device_id = 'web-pg'", userId));
        Assert.Equal("ended", await PostgresDatabase.ScalarAsync<string>(cs, "SELECT end_reason FROM video_sessions WHERE user_id = $1", userId));
        Assert.Equal(30.0, await PostgresDatabase.ScalarAsync<double>(cs, "SELECT watch_time_seconds FROM video_sessions WHERE user_id = $1", userId));
        Assert.Equal("video_end,video_start,device_register,login,user_register", await PostgresDatabase.ScalarAsync<string>(cs,
            "SELECT string_agg(action, ',' ORDER BY created_at DESC, id DESC) FROM audit_logs WHERE user_id = $1", userId));
    }

    [Fact]
    public async Task The_audit_route_and_admin_listings_read_the_tables()
    {
        var (session, device) = await _api.SignUpWithDevice("web-listed");
        await _api.StartVideo(session, (await _api.LessonIds())[1], device);
        var admin = Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));
        var userId = (await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString();

        var audit = (await _api.Get("/api/audit-logs?limit=2", session.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var next = (await _api.Get($"/api/audit-logs?limit=2&cursor={audit.GetProperty("next_cursor").GetString()}", session.Access)).Json;
        var users = (await _api.Get($"/api/admin/users?email={Uri.EscapeDataString(session.Email)}", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var live = (await _api.Get($"/api/admin/sessions?live=true&user_id={userId}", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var devices = (await _api.Get($"/api/admin/devices?user_id={userId}&platform=web&is_active=true", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal(["video_start", "device_register"], audit.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["login", "user_register"], next.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var user = Assert.Single(users.GetProperty("results").EnumerateArray());
        Assert.Equal(1, user.GetProperty("active_devices").GetInt32());
        Assert.Equal(1, user.GetProperty("live_sessions").GetInt32());
        Assert.Single(live.GetProperty("results").EnumerateArray());
        Assert.Equal("web-listed", Assert.Single(devices.GetProperty("results").EnumerateArray()).GetProperty("device_id").GetString());
    }

    [Fact]
    public async Task An_admin_deactivation_finds_the_owner_through_the_devices_table()
    {
        var (session, _) = await _api.SignUpWithDevice("web-deactivated");
        var deviceId = (await _api.Get("/api/devices", session.Access)).Json[0].GetProperty("id").GetString();
        var admin = Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));

        (await _api.Post($"/api/admin/devices/{deviceId}/deactivate", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        Assert.False(await PostgresDatabase.ScalarAsync<bool>(factory.ConnectionString, "SELECT is_active FROM devices WHERE id = $1", Guid.Parse(deviceId!)));
    }
}
