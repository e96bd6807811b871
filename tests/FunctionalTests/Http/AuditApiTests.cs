using System.Net;
using System.Text.Json;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

[Collection(ApiCollection.Name)]
public sealed class AuditApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task A_learners_actions_are_audited_newest_first_with_client_and_metadata()
    {
        var (session, device) = await _api.SignUpWithDevice("web-audited");
        var lessonId = (await _api.LessonIds())[2];
        var token = (await _api.StartVideo(session, lessonId, device)).Json.GetProperty("session_token").GetString()!;
        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        await _api.EndVideo(session, token, 15);

        var entries = (await Entries(session, "")).ToList();

        Assert.Equal(["video_end", "video_start", "device_register", "login", "user_register"], entries.Select(e => e.GetProperty("action").GetString()));
        var end = entries[0];
        Assert.Equal(session.Email, end.GetProperty("user_email").GetString());
        Assert.Equal(lessonId, end.GetProperty("metadata").GetProperty("lesson_id").GetString());
        Assert.Equal("ended", end.GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal(15, end.GetProperty("metadata").GetProperty("watch_time_seconds").GetInt32());
        Assert.Equal("web-audited", entries[2].GetProperty("metadata").GetProperty("device_id").GetString());
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("user_agent").GetString())));
        Assert.All(entries, e => Assert.EndsWith("Z", e.GetProperty("created_at").GetString()));
        Assert.DoesNotContain(token, JsonSerializer.Serialize(entries));
    }

    [Fact]
    public async Task Failed_logins_and_the_lockout_are_audited()
    {
        var session = await _api.SignUp();
        for (var i = 0; i < 5; i++)
        {
            await _api.Login(session.Email, "wrong-password");
        }

        var actions = (await Entries(session, "")).Select(e => e.GetProperty("action").GetString()).ToList();

        Assert.Equal(5, actions.Count(a => a == "login_failed"));
        Assert.Equal("account_locked", actions[0]);
    }

    [Fact]
    public async Task Transfers_and_revokes_are_audited_with_the_sessions_they_ended()
    {
        var (session, device) = await _api.SignUpWithDevice("web-a");
        await _api.StartVideo(session, (await _api.LessonIds())[0], device);
        await _api.Transfer(session, "ios-b");
        var id = (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray()
            .Single(d => d.GetProperty("device_id").GetString() == "web-a").GetProperty("id").GetString();
        await _api.Send(HttpMethod.Delete, $"/api/devices/{id}/revoke", null, session.Access);

        var entries = (await Entries(session, "")).ToList();

        Assert.Equal(["device_revoke", "device_transfer", "video_end", "video_start"], entries.Take(4).Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("device_transferred", entries[2].GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal("web-a", entries[0].GetProperty("metadata").GetProperty("device_id").GetString());
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_is_audited_as_token_reuse_detected()
    {
        var session = await _api.SignUp();
        (await _api.Post("/api/auth/refresh", new { refresh = session.Refresh })).AssertStatus(HttpStatusCode.OK);

        (await _api.Post("/api/auth/refresh", new { refresh = session.Refresh })).AssertProblem(HttpStatusCode.Unauthorized, "token_reused");

        // The family is revoked, so the trail is read with a new login.
        var again = Session.From(session.Email, (await _api.Login(session.Email)).AssertStatus(HttpStatusCode.OK));
        var entries = await Entries(again, "");
        Assert.Equal(["login", "token_reuse_detected", "login", "user_register"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.True(entries[1].GetProperty("metadata").TryGetProperty("family_started_at", out _), entries[1].ToString());
        Assert.DoesNotContain(session.Refresh, JsonSerializer.Serialize(entries));
    }

    [Fact]
    public async Task A_password_change_is_audited_with_the_sessions_it_signed_out()
    {
        var session = await _api.SignUp();
        var otherLogin = Session.From(session.Email, (await _api.Login(session.Email)).AssertStatus(HttpStatusCode.OK));

        (await _api.Post("/api/auth/password", new { current_password = ApiClient.Password, new_password = "brisk-walnut-harbour" }, session.Access))
            .AssertStatus(HttpStatusCode.NoContent);

        (await _api.Get("/api/auth/me", otherLogin.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        var entries = await Entries(session, "");
        Assert.Equal(["password_change", "login", "login", "user_register"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(1, entries[0].GetProperty("metadata").GetProperty("sessions_revoked").GetInt32());
        Assert.DoesNotContain("brisk-walnut-harbour", JsonSerializer.Serialize(entries));
        Assert.Single(await Entries(session, "action=password_change"));
    }

    [Fact]
    public async Task A_wrong_current_password_is_audited_as_a_failed_login()
    {
        var session = await _api.SignUp();

        (await _api.Post("/api/auth/password", new { current_password = "not-the-password", new_password = "brisk-walnut-harbour" }, session.Access))
            .AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");

        Assert.Equal("login_failed", (await Entries(session, "")).First().GetProperty("action").GetString());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=garbage!", "cursor")]
    [InlineData("user_id=42", "user_id")]
    [InlineData("since=yesterday", "since")]
    [InlineData("action=payment_refused", "action")]
    public async Task Bad_filters_are_400_naming_the_parameter(string query, string field)
    {
        var session = await _api.SignUp();
        var response = (await _api.Get($"/api/audit-logs?{query}", session.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.Body);
    }

    [Fact]
    public async Task An_unknown_action_is_400_listing_the_valid_ones()
    {
        var session = await _api.SignUp();
        var response = (await _api.Get("/api/audit-logs?action=bogus", session.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        var message = response.Json.GetProperty("errors").GetProperty("action")[0].GetString()!;
        Assert.All(new[] { "login", "video_start", "device_transfer", "token_reuse_detected" }, action => Assert.Contains(action, message));
    }

    [Fact]
    public async Task The_audit_log_needs_authentication() =>
        (await _api.Get("/api/audit-logs")).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");

    private async Task<IReadOnlyList<JsonElement>> Entries(Session session, string query) =>
        (await _api.Get($"/api/audit-logs?{query}", session.Access)).AssertStatus(HttpStatusCode.OK)
            .Json.GetProperty("results").EnumerateArray().ToList();
}

/// <summary>Takeovers need two active devices and one stream; the audit must show who took over whose session.</summary>
[Collection(TwoDevicesCollection.Name)]
public sealed class TakeoverAuditTests(TwoDevicesApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task A_takeover_is_audited_as_session_takeover_with_the_session_it_ended()
    {
        var session = await _api.SignUp();
        (await _api.RegisterDevice(session, "laptop")).AssertStatus(HttpStatusCode.Created);
        (await _api.RegisterDevice(session, "phone", "android")).AssertStatus(HttpStatusCode.Created);
        var lessons = await _api.LessonIds();
        var laptop = (await _api.StartVideo(session, lessons[0], "laptop")).AssertStatus(HttpStatusCode.Created).Json;
        factory.Clock.Advance(TimeSpan.FromSeconds(10));

        (await _api.StartVideo(session, lessons[1], "phone", takeover: true)).AssertStatus(HttpStatusCode.Created);

        var entries = (await _api.Get("/api/audit-logs", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["video_start", "session_takeover", "video_end", "video_start"], entries.Take(4).Select(e => e.GetProperty("action").GetString()));
        var takeover = entries[1].GetProperty("metadata");
        Assert.Equal("laptop", takeover.GetProperty("taken_over_device_id").GetString());
        Assert.Equal("Device laptop", takeover.GetProperty("taken_over_device_name").GetString());
        Assert.Equal("phone", takeover.GetProperty("device_id").GetString());
        var ended = entries[2].GetProperty("metadata");
        Assert.Equal("taken_over", ended.GetProperty("reason").GetString());
        Assert.Equal("laptop", ended.GetProperty("device_id").GetString());
        Assert.Equal(ended.GetProperty("session_id").GetString(), takeover.GetProperty("taken_over_session_id").GetString());
        Assert.Equal(lessons[1], entries[0].GetProperty("metadata").GetProperty("lesson_id").GetString());
        Assert.Equal("phone", entries[0].GetProperty("metadata").GetProperty("device_id").GetString());
        Assert.DoesNotContain(laptop.GetProperty("session_token").GetString()!, JsonSerializer.Serialize(entries));
        Assert.Single((await _api.Get("/api/audit-logs?action=session_takeover", session.Access)).Json.GetProperty("results").EnumerateArray());
    }
}
