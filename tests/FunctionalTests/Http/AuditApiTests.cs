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
    public async Task Transfers_takeovers_and_revokes_are_audited_with_the_sessions_they_ended()
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
    public async Task Filters_and_cursor_paging_walk_every_entry_once()
    {
        var session = await _api.SignUp();
        for (var i = 0; i < 7; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await _api.Login(session.Email);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await _api.Get($"/api/audit-logs/?action=login&limit=3{(cursor is null ? "" : $"&cursor={cursor}")}", session.Access))
                .AssertStatus(HttpStatusCode.OK).Json;
            var results = page.GetProperty("results").EnumerateArray().ToList();
            Assert.InRange(results.Count, 1, 3);
            seen.AddRange(results.Select(r => r.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(8, seen.Count);
        Assert.Equal(8, seen.Distinct().Count());
    }

    [Fact]
    public async Task Since_and_until_bound_the_entries_by_time()
    {
        var session = await _api.SignUp();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var middle = factory.Clock.GetUtcNow();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await _api.Login(session.Email);

        var since = await Entries(session, $"since={Uri.EscapeDataString(middle.ToString("O"))}");
        var until = await Entries(session, $"until={Uri.EscapeDataString(middle.ToString("O"))}");

        Assert.Equal(["login"], since.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["login", "user_register"], until.Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_learner_sees_only_their_own_entries_and_an_admin_sees_anyones()
    {
        var session = await _api.SignUp();
        var stranger = await _api.SignUp();
        var strangerId = (await _api.Get("/api/auth/me", stranger.Access)).Json.GetProperty("id").GetString();
        var admin = Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-pass"));

        Assert.All(await Entries(session, ""), e => Assert.Equal(session.Email, e.GetProperty("user_email").GetString()));
        Assert.Empty(await Entries(session, $"user_id={strangerId}"));
        var seenByAdmin = await Entries(admin, $"user_id={strangerId}");
        Assert.NotEmpty(seenByAdmin);
        Assert.All(seenByAdmin, e => Assert.Equal(strangerId, e.GetProperty("user_id").GetString()));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=garbage!", "cursor")]
    [InlineData("user_id=42", "user_id")]
    [InlineData("since=yesterday", "since")]
    [InlineData("action=payment", "action")]
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
    public async Task A_limit_above_200_is_taken_as_200()
    {
        var session = await _api.SignUp();
        (await _api.Get("/api/audit-logs?limit=5000", session.Access)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_audit_log_needs_authentication() =>
        (await _api.Get("/api/audit-logs")).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");

    private async Task<IReadOnlyList<JsonElement>> Entries(Session session, string query) =>
        (await _api.Get($"/api/audit-logs?{query}", session.Access)).AssertStatus(HttpStatusCode.OK)
            .Json.GetProperty("results").EnumerateArray().ToList();
}
