using System.Net;
using System.Text.Json;
using Learning.Access;
using Learning.Accounts;
using Learning.Common;
using Learning.Playback;
using Learning.TestSupport;
using Learning.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Orleans.Runtime;

namespace Learning.FunctionalTests.Access;

/// <summary>The API in <c>Access:Mode=subscription</c>, with a two-minute past-due grace so a grace fits between heartbeats.</summary>
public sealed class SubscriptionModeApiFactory : LearningApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Access:Mode", "subscription"),
        new("Billing:PastDueGrace", "00:02:00"),
    ];
}

[CollectionDefinition(Name)]
public sealed class SubscriptionModeCollection : ICollectionFixture<SubscriptionModeApiFactory>
{
    public const string Name = "subscription-mode";
}

/// <summary>
/// Paid access over HTTP (and, for subscription events, the grain method the webhook processor calls): the gate at start,
/// grants, and access ending by an event or a deadline, which ends live sessions at once (<c>access_ended</c>).
/// </summary>
[Collection(SubscriptionModeCollection.Name)]
public sealed class AccessApiTests(SubscriptionModeApiFactory factory)
{
    private static readonly ClientInfo Client = new("127.0.0.1", "tests");
    private readonly ApiClient _api = factory.CreateApiClient();

    private IGrainFactory Grains => factory.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task Without_access_a_start_is_403_subscription_required_and_a_free_preview_plays()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var (free, paid) = await LessonsAsync();

        (await _api.StartVideo(student, paid, device)).AssertProblem(HttpStatusCode.Forbidden, "subscription_required");
        (await _api.StartVideo(student, free, device)).AssertStatus(HttpStatusCode.Created);

        var subscription = (await _api.Get("/api/subscription", student.Access)).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("none", subscription.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, subscription.GetProperty("plan_id").ValueKind);
        Assert.False(subscription.GetProperty("cancel_at_period_end").GetBoolean());
        var access = subscription.GetProperty("access");
        Assert.False(access.GetProperty("has_access").GetBoolean());
        Assert.Equal(JsonValueKind.Null, access.GetProperty("source").ValueKind);
        Assert.Equal(JsonValueKind.Null, access.GetProperty("until").ValueKind);
    }

    [Fact]
    public async Task Admins_watch_everything_and_the_demo_student_has_a_grant()
    {
        var admin = await AdminAsync();
        (await _api.RegisterDevice(admin, "admin-tv")).AssertStatus(HttpStatusCode.Created);
        var (_, paid) = await LessonsAsync();
        (await _api.StartVideo(admin, paid, "admin-tv")).AssertStatus(HttpStatusCode.Created);

        var student = Session.From("student@example.com", await _api.Login("student@example.com", "student-demo-walrus-fig"));
        var access = (await _api.Get("/api/subscription", student.Access)).Json.GetProperty("access");
        Assert.True(access.GetProperty("has_access").GetBoolean());
        Assert.Equal("grant", access.GetProperty("source").GetString());
        var granted = Assert.Single(await Rows(admin, $"/api/audit-logs?action=access_granted&user_id={await UserIdAsync(student)}"));
        Assert.Equal(await UserIdAsync(admin), granted.GetProperty("metadata").GetProperty("actor_id").GetString());
    }

    [Fact]
    public async Task A_grant_lets_the_user_play_and_revoking_it_ends_the_live_session_at_once()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var studentId = await UserIdAsync(student);
        var (_, paid) = await LessonsAsync();
        var admin = await AdminAsync();
        var until = factory.Clock.GetUtcNow().AddDays(7);

        var grant = (await _api.Post($"/api/admin/users/{studentId}/grants", new { until, reason = "Support ticket 42" }, admin.Access))
            .AssertStatus(HttpStatusCode.Created).Json;
        var grantId = grant.GetProperty("id").GetString();
        Assert.Equal(until.UtcDateTime, grant.GetProperty("until").GetDateTime());
        Assert.Equal("Support ticket 42", grant.GetProperty("reason").GetString());
        Assert.Equal(await UserIdAsync(admin), grant.GetProperty("actor_id").GetString());
        Assert.True(grant.TryGetProperty("created_at", out _));

        var access = (await _api.Get("/api/subscription", student.Access)).Json.GetProperty("access");
        Assert.Equal("grant", access.GetProperty("source").GetString());
        Assert.Equal(until.UtcDateTime, access.GetProperty("until").GetDateTime());
        var started = (await _api.StartVideo(student, paid, device)).AssertStatus(HttpStatusCode.Created).Json;
        var token = started.GetProperty("session_token").GetString()!;
        var videoUrl = started.GetProperty("video_url").GetString()!;
        using (var playing = await _api.Http.GetAsync(videoUrl))
        {
            Assert.True(playing.IsSuccessStatusCode, $"media answered {(int)playing.StatusCode}");
        }

        (await _api.Send(HttpMethod.Delete, $"/api/admin/users/{studentId}/grants/{grantId}/", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        var beat = (await _api.Heartbeat(student, token, 5)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("access_ended", beat.Json.GetProperty("reason").GetString());
        var media = await ApiResponse.Read(await _api.Http.GetAsync(videoUrl));
        media.AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("access_ended", media.Json.GetProperty("reason").GetString());
        (await _api.StartVideo(student, paid, device)).AssertProblem(HttpStatusCode.Forbidden, "subscription_required");
        var revoked = Assert.Single(await Rows(admin, $"/api/audit-logs?action=access_revoked&user_id={studentId}"));
        Assert.Equal(grantId, revoked.GetProperty("metadata").GetProperty("grant_id").GetString());
        Assert.Equal(await UserIdAsync(admin), revoked.GetProperty("metadata").GetProperty("actor_id").GetString());
        (await _api.Send(HttpMethod.Delete, $"/api/admin/users/{studentId}/grants/{grantId}", null, admin.Access))
            .AssertProblem(HttpStatusCode.NotFound, "grant_not_found");
    }

    [Theory]
    [InlineData("""{"reason": "Support"}""", "until")]
    [InlineData("""{"until": "2020-01-01T00:00:00Z", "reason": "Support"}""", "until")]
    [InlineData("""{"until": "2999-01-01T00:00:00Z"}""", "reason")]
    [InlineData("""{"until": "2999-01-01T00:00:00Z", "reason": ""}""", "reason")]
    [InlineData("""{"until": 5, "reason": "Support"}""", "until")]
    [InlineData("""{"until": "next week", "reason": "Support"}""", "until")]
    public async Task A_bad_grant_is_400_validation_error(string body, string field)
    {
        var student = await _api.SignUp();
        var admin = await AdminAsync();

        var refused = (await _api.Send(HttpMethod.Post, $"/api/admin/users/{await UserIdAsync(student)}/grants", ApiClient.JsonContent(body), admin.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.Body);
    }

    [Fact]
    public async Task Grants_need_an_admin_and_an_existing_user()
    {
        var student = await _api.SignUp();
        var admin = await AdminAsync();
        var body = new { until = factory.Clock.GetUtcNow().AddDays(1), reason = "Support" };

        (await _api.Post($"/api/admin/users/{await UserIdAsync(student)}/grants", body, student.Access)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await _api.Get("/api/admin/subscriptions", student.Access)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await _api.Post($"/api/admin/users/{Guid.NewGuid()}/grants", body, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
        (await _api.Post("/api/admin/users/not-a-uuid/grants", body, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
        (await _api.Get("/api/subscription")).AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task When_a_grant_ends_with_no_request_in_sight_the_deadline_reminder_ends_the_session()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var studentId = Guid.Parse(await UserIdAsync(student));
        var (_, paid) = await LessonsAsync();
        var admin = await AdminAsync();
        var until = factory.Clock.GetUtcNow().AddSeconds(60);
        (await _api.Post($"/api/admin/users/{studentId}/grants", new { until, reason = "Trial day" }, admin.Access)).AssertStatus(HttpStatusCode.Created);
        var user = Grains.GetGrain<IUserGrain>(studentId);
        var reminders = factory.Services.GetRequiredService<IReminderTable>();

        var before = DateTime.UtcNow;
        var token = (await _api.StartVideo(student, paid, device)).AssertStatus(HttpStatusCode.Created).Json.GetProperty("session_token").GetString()!;
        var after = DateTime.UtcNow;

        // The real mechanism: a reminder registered for the moment the grant ends (due = until - business now at the start).
        var due = until - factory.Clock.GetUtcNow();
        var reminder = await reminders.ReadRow(user.GetGrainId(), UserGrain.AccessDeadlineReminder);
        Assert.NotNull(reminder);
        Assert.InRange(reminder.StartAt, before + due, after + due);

        // Its tick, driven here because Orleans' reminders run on the real clock, not on the business clock the test moves.
        factory.Clock.Advance(TimeSpan.FromSeconds(61));
        await user.AsReference<IRemindable>().ReceiveReminder(UserGrain.AccessDeadlineReminder, default);

        var ended = Assert.Single(await Rows(admin, $"/api/audit-logs?action=video_end&user_id={studentId}"));
        Assert.Equal("access_ended", ended.GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Null(await reminders.ReadRow(user.GetGrainId(), UserGrain.AccessDeadlineReminder));
        var sessions = await Rows(admin, $"/api/admin/sessions?user_id={studentId}");
        Assert.Equal("access_ended", Assert.Single(sessions).GetProperty("end_reason").GetString());
        var beat = (await _api.Heartbeat(student, token, 30)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("access_ended", beat.Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Cancel_at_period_end_keeps_access_until_the_period_end_then_ends_the_session()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var studentId = Guid.Parse(await UserIdAsync(student));
        var (_, paid) = await LessonsAsync();
        var periodEnd = factory.Clock.GetUtcNow().AddSeconds(100);
        await ApplyAsync(studentId, Change("evt_cancel", SubscriptionStatuses.Active, factory.Clock.GetUtcNow()) with
        {
            CurrentPeriodEnd = periodEnd,
            CancelAtPeriodEnd = true,
        });
        var token = (await _api.StartVideo(student, paid, device)).AssertStatus(HttpStatusCode.Created).Json.GetProperty("session_token").GetString()!;

        factory.Clock.Advance(TimeSpan.FromSeconds(60));
        (await _api.Heartbeat(student, token, 50)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.SetUtcNow(periodEnd);
        var beat = (await _api.Heartbeat(student, token, 80)).AssertProblem(HttpStatusCode.Gone, "session_expired");

        Assert.Equal("access_ended", beat.Json.GetProperty("reason").GetString());
        var subscription = (await _api.Get("/api/subscription", student.Access)).Json;
        Assert.Equal("active", subscription.GetProperty("status").GetString());
        Assert.True(subscription.GetProperty("cancel_at_period_end").GetBoolean());
        Assert.False(subscription.GetProperty("access").GetProperty("has_access").GetBoolean());
    }

    [Fact]
    public async Task The_past_due_grace_counts_from_the_first_past_due()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var studentId = Guid.Parse(await UserIdAsync(student));
        var (_, paid) = await LessonsAsync();
        var firstPastDue = factory.Clock.GetUtcNow();
        await ApplyAsync(studentId, Change("evt_pd1", SubscriptionStatuses.PastDue, firstPastDue));
        var token = (await _api.StartVideo(student, paid, device)).AssertStatus(HttpStatusCode.Created).Json.GetProperty("session_token").GetString()!;
        var access = (await _api.Get("/api/subscription", student.Access)).Json.GetProperty("access");
        Assert.Equal("subscription", access.GetProperty("source").GetString());
        Assert.Equal(firstPastDue.AddMinutes(2).UtcDateTime, access.GetProperty("until").GetDateTime());

        factory.Clock.Advance(TimeSpan.FromSeconds(60));
        // A second failed payment a minute later does not restart the grace.
        await ApplyAsync(studentId, Change("evt_pd2", SubscriptionStatuses.PastDue, factory.Clock.GetUtcNow()));
        (await _api.Heartbeat(student, token, 50)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.SetUtcNow(firstPastDue.AddSeconds(119));
        (await _api.Heartbeat(student, token, 100)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.SetUtcNow(firstPastDue.AddMinutes(2));

        var beat = (await _api.Heartbeat(student, token, 110)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("access_ended", beat.Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Subscription_changes_are_audited_and_listed_for_operators()
    {
        var student = await _api.SignUp();
        var studentId = Guid.Parse(await UserIdAsync(student));
        var admin = await AdminAsync();
        var now = factory.Clock.GetUtcNow();

        await ApplyAsync(studentId, Change("evt_l1", SubscriptionStatuses.Trialing, now));
        await ApplyAsync(studentId, Change("evt_l2", SubscriptionStatuses.Active, now.AddSeconds(1)));
        // Older than the last applied: recorded and ignored.
        await ApplyAsync(studentId, Change("evt_l0", SubscriptionStatuses.Incomplete, now.AddSeconds(-5)));
        // A repeat: changes nothing.
        await ApplyAsync(studentId, Change("evt_l2", SubscriptionStatuses.Active, now.AddSeconds(1)));

        var trail = await Rows(admin, $"/api/audit-logs?user_id={studentId}");
        Assert.Single(trail, e => e.GetProperty("action").GetString() == "subscription_start");
        Assert.Single(trail, e => e.GetProperty("action").GetString() == "subscription_update");
        var row = Assert.Single(await Rows(admin, $"/api/admin/subscriptions?user_id={studentId}"));
        Assert.Equal("active", row.GetProperty("status").GetString());
        Assert.Equal(student.Email, row.GetProperty("user_email").GetString());
        Assert.Equal("monthly", row.GetProperty("plan_id").GetString());
        Assert.Single(await Rows(admin, $"/api/admin/subscriptions?status=active&q={Uri.EscapeDataString(student.Email[..12].ToUpperInvariant())}"),
            r => r.GetProperty("user_id").GetString() == studentId.ToString());
        Assert.DoesNotContain(await Rows(admin, "/api/admin/subscriptions?status=canceled"), r => r.GetProperty("user_id").GetString() == studentId.ToString());

        await ApplyAsync(studentId, Change("evt_l3", SubscriptionStatuses.Canceled, now.AddSeconds(2)) with { Deleted = true });

        Assert.Single(await Rows(admin, $"/api/audit-logs?user_id={studentId}&action=subscription_end"));
        Assert.Equal("canceled", Assert.Single(await Rows(admin, $"/api/admin/subscriptions?user_id={studentId}")).GetProperty("status").GetString());
        (await _api.Get("/api/admin/subscriptions?status=gone", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task Twenty_starts_racing_the_subscriptions_deletion_leave_no_session_playing()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var studentId = Guid.Parse(await UserIdAsync(student));
        var (_, paid) = await LessonsAsync();
        await ApplyAsync(studentId, Change("evt_r1", SubscriptionStatuses.Active, factory.Clock.GetUtcNow()));
        var user = Grains.GetGrain<IUserGrain>(studentId);
        var caller = CallerOf(student);

        var starts = Enumerable.Range(0, 20).Select(_ => user.StartPlayback(caller, new StartPlayback(paid, device, Takeover: true))).ToList();
        var deletion = user.ApplySubscription(Change("evt_r2", SubscriptionStatuses.Canceled, factory.Clock.GetUtcNow().AddSeconds(1)) with { Deleted = true }, Client);
        await Task.WhenAll(starts);
        Assert.True((await deletion).Succeeded);

        Assert.All(starts, s => Assert.True(s.Result.Succeeded || s.Result.Error!.Code == ErrorCodes.SubscriptionRequired));
        var beats = await Task.WhenAll(starts.Where(s => s.Result.Succeeded).Select(s => user.Heartbeat(caller, s.Result.Value!.SessionToken, 1)));
        Assert.DoesNotContain(beats, b => b.Succeeded);
        Assert.Equal(ErrorCodes.SubscriptionRequired, (await user.StartPlayback(caller, new StartPlayback(paid, device, Takeover: true))).Error!.Code);
    }

    private Task ApplyAsync(Guid userId, SubscriptionChange change) =>
        Grains.GetGrain<IUserGrain>(userId).ApplySubscription(change, Client).ContinueWith(t => Assert.True(t.Result.Succeeded));

    private static SubscriptionChange Change(string eventId, string status, DateTimeOffset created) =>
        new(eventId, created, "sub_test", "cus_test", status, "price_monthly", created.AddDays(30), false, null) { PlanId = "monthly" };

    private static Caller CallerOf(Session session)
    {
        var token = new JsonWebToken(session.Access);
        return new Caller(Guid.Parse(token.Subject), Guid.Parse(token.GetClaim("sid").Value), Client);
    }

    private async Task<(string Free, string Paid)> LessonsAsync()
    {
        var course = (await _api.Get("/api/courses")).Json[0].GetProperty("id").GetString();
        var lessons = (await _api.Get($"/api/courses/{course}")).Json.GetProperty("lessons").EnumerateArray().ToList();
        return (lessons.First(l => l.GetProperty("free_preview").GetBoolean()).GetProperty("id").GetString()!,
            lessons.First(l => !l.GetProperty("free_preview").GetBoolean()).GetProperty("id").GetString()!);
    }

    private async Task<Session> AdminAsync() => Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));

    private async Task<string> UserIdAsync(Session session) =>
        (await _api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("id").GetString()!;

    private async Task<List<JsonElement>> Rows(Session session, string path) =>
        (await _api.Get(path, session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
}

/// <summary>Start-up refuses access settings it cannot honour, naming them.</summary>
public sealed class AccessStartupValidationTests
{
    [Theory]
    [InlineData("Billing:Plans:0:Id", "monthly", "Access:Mode must be set (open or subscription) when Billing:Plans is configured")]
    [InlineData("Access:Mode", "paid", "Access:Mode must be open or subscription")]
    [InlineData("Billing:PastDueGrace", "three days", "Billing:PastDueGrace must be a duration")]
    public void A_bad_access_setting_stops_the_host_with_its_name(string key, string value, string expected) =>
        Learning.FunctionalTests.Http.RefusedProductionHost.AssertRefused(key, value, expected);
}
