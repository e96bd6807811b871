using System.Net;
using System.Text.Json;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

[Collection(ApiCollection.Name)]
public sealed class AdminApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    private async Task<Session> AdminAsync() => Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));

    [Theory]
    [InlineData("GET", "/api/admin/users")]
    [InlineData("GET", "/api/admin/devices")]
    [InlineData("GET", "/api/admin/sessions")]
    [InlineData("POST", "/api/admin/users/00000000-0000-0000-0000-000000000001/sign-out")]
    [InlineData("POST", "/api/admin/devices/00000000-0000-0000-0000-000000000001/deactivate")]
    public async Task Students_get_403_forbidden(string method, string path)
    {
        var student = await _api.SignUp();
        (await _api.Send(new HttpMethod(method), path, null, student.Access)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Users_are_listed_with_their_active_devices_and_live_sessions()
    {
        var (student, device) = await _api.SignUpWithDevice();
        await _api.StartVideo(student, (await _api.LessonIds())[0], device);
        var admin = await AdminAsync();

        var users = (await _api.Get($"/api/admin/users?email={Uri.EscapeDataString(student.Email.ToUpperInvariant())}", admin.Access))
            .AssertStatus(HttpStatusCode.OK).Json;

        var row = Assert.Single(users.GetProperty("results").EnumerateArray());
        Assert.Equal(student.Email, row.GetProperty("email").GetString());
        Assert.Equal("student", row.GetProperty("role").GetString());
        Assert.Equal(1, row.GetProperty("active_devices").GetInt32());
        Assert.Equal(1, row.GetProperty("live_sessions").GetInt32());
        Assert.Equal(JsonValueKind.Null, users.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Devices_are_filtered_by_user_platform_and_activity()
    {
        var (student, _) = await _api.SignUpWithDevice("web-admin-view");
        await _api.Transfer(student, "ios-admin-view");
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();

        var all = await Rows(admin, $"/api/admin/devices?user_id={userId}");
        var inactiveWeb = await Rows(admin, $"/api/admin/devices?user_id={userId}&platform=web&is_active=false");

        Assert.Equal(2, all.Count);
        var row = Assert.Single(inactiveWeb);
        Assert.Equal("web-admin-view", row.GetProperty("device_id").GetString());
        Assert.Equal(student.Email, row.GetProperty("user_email").GetString());
        Assert.Equal(userId, row.GetProperty("user_id").GetString());
        (await _api.Get("/api/admin/devices?platform=windows&is_active=maybe", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task Sessions_show_live_and_ended_ones_with_watch_time()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var lessons = await _api.LessonIds();
        var first = (await _api.StartVideo(student, lessons[0], device)).Json.GetProperty("session_token").GetString()!;
        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        await _api.EndVideo(student, first, 15);
        await _api.StartVideo(student, lessons[1], device);
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();

        var all = await Rows(admin, $"/api/admin/sessions?user_id={userId}");
        var live = await Rows(admin, $"/api/admin/sessions?live=true&user_id={userId}");

        Assert.Equal(2, all.Count);
        var ended = all.Single(s => !s.GetProperty("live").GetBoolean());
        Assert.Equal("ended", ended.GetProperty("end_reason").GetString());
        Assert.Equal(15, ended.GetProperty("watch_time_seconds").GetDouble());
        Assert.Equal(lessons[1], Assert.Single(live).GetProperty("lesson_id").GetString());
        Assert.Equal(device, live[0].GetProperty("device_id").GetString());
    }

    [Fact]
    public async Task Signing_a_user_out_revokes_every_session_and_is_audited_as_the_admins_act()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var token = (await _api.StartVideo(student, (await _api.LessonIds())[0], device)).Json.GetProperty("session_token").GetString()!;
        var admin = await AdminAsync();
        var adminId = await UserIdAsync(admin);

        (await _api.Post($"/api/admin/users/{await UserIdAsync(student)}/sign-out/", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        (await _api.Get("/api/auth/me", student.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Post("/api/auth/refresh", new { refresh = student.Refresh })).AssertProblem(HttpStatusCode.Unauthorized, "invalid_token");
        var fresh = Session.From(student.Email, await _api.Login(student.Email));
        var beat = (await _api.Heartbeat(fresh, token, 1)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("ended", beat.Json.GetProperty("reason").GetString());
        var logout = (await Rows(admin, $"/api/audit-logs?action=logout&user_id={await UserIdAsync(fresh)}")).First();
        Assert.True(logout.GetProperty("metadata").GetProperty("by_admin").GetBoolean());
        Assert.Equal(adminId, logout.GetProperty("metadata").GetProperty("actor_id").GetString());
    }

    [Fact]
    public async Task Deactivating_a_device_ends_its_sessions_and_lands_on_the_owners_trail()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var token = (await _api.StartVideo(student, (await _api.LessonIds())[0], device)).Json.GetProperty("session_token").GetString()!;
        var deviceId = (await _api.Get("/api/devices", student.Access)).Json[0].GetProperty("id").GetString();
        var admin = await AdminAsync();

        (await _api.Post($"/api/admin/devices/{deviceId}/deactivate", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        Assert.False((await _api.Get("/api/devices", student.Access)).Json[0].GetProperty("is_active").GetBoolean());
        var beat = (await _api.Heartbeat(student, token, 1)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("device_revoked", beat.Json.GetProperty("reason").GetString());
        var entry = Assert.Single(await Rows(student, "/api/audit-logs?action=device_deactivate"));
        Assert.Equal(await UserIdAsync(admin), entry.GetProperty("metadata").GetProperty("actor_id").GetString());
        (await _api.Post($"/api/admin/devices/{Guid.NewGuid()}/deactivate", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "device_not_found");
        (await _api.Post($"/api/admin/users/{Guid.NewGuid()}/sign-out", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
    }

    [Fact]
    public async Task Admin_listings_page_with_cursors()
    {
        var admin = await AdminAsync();
        for (var i = 0; i < 3; i++)
        {
            await _api.SignUp();
        }

        var first = (await _api.Get("/api/admin/users?limit=2", admin.Access)).Json;
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = (await _api.Get($"/api/admin/users?limit=2&cursor={cursor}", admin.Access)).Json;

        var ids = first.GetProperty("results").EnumerateArray().Concat(second.GetProperty("results").EnumerateArray())
            .Select(u => u.GetProperty("id").GetString()).ToList();
        Assert.Equal(4, ids.Distinct().Count());
    }

    private async Task<string> UserIdAsync(Session session) =>
        (await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString()!;

    private async Task<List<JsonElement>> Rows(Session session, string path) =>
        (await _api.Get(path, session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
}
