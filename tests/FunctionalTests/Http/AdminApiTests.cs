using System.Net;
using System.Text.Json;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

/// <summary>Admin commands and access; the listings' filters run against both read models in ReadModelFilterTests.</summary>
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

    private async Task<string> UserIdAsync(Session session) =>
        (await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString()!;

    private async Task<List<JsonElement>> Rows(Session session, string path) =>
        (await _api.Get(path, session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
}
