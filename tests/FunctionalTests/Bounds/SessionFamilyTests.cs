using System.Net;
using System.Text.RegularExpressions;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Bounds;

/// <summary>
/// A session ends with the sign-in (refresh family) that started it: revoking the family ends its sessions at once
/// (reason <c>ended</c>), heartbeats and media URLs included, while other sign-ins of the same user play on.
/// </summary>
public sealed partial class SessionFamilyTests(SessionFamilyTests.Factory factory) : IClassFixture<SessionFamilyTests.Factory>
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Logout_ends_the_sessions_its_family_started_and_their_media_while_another_sign_in_plays_on()
    {
        var (laptop, phone) = await TwoSignIns();
        var lessons = await _api.LessonIds();
        var (laptopToken, laptopUrl) = await Start(laptop, lessons[0], "laptop");
        var (phoneToken, phoneUrl) = await Start(phone, lessons[1], "phone");

        (await _api.Post("/api/auth/logout", new { refresh = laptop.Refresh }, laptop.Access)).AssertStatus(HttpStatusCode.NoContent);

        var gone = (await _api.Heartbeat(phone, laptopToken, 10)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("ended", gone.Json.GetProperty("reason").GetString());
        (await _api.Get(laptopUrl)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        (await _api.Heartbeat(laptop, laptopToken, 10)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");

        (await _api.Heartbeat(phone, phoneToken, 10)).AssertStatus(HttpStatusCode.OK);
        using var media = await _api.Http.GetAsync(phoneUrl);
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
    }

    [Fact]
    public async Task Refresh_token_reuse_ends_the_sessions_of_the_family_it_revokes()
    {
        var (laptop, phone) = await TwoSignIns();
        var lessons = await _api.LessonIds();
        var (laptopToken, laptopUrl) = await Start(laptop, lessons[0], "laptop");
        var (phoneToken, _) = await Start(phone, lessons[1], "phone");
        (await _api.Post("/api/auth/refresh", new { refresh = laptop.Refresh })).AssertStatus(HttpStatusCode.OK);

        (await _api.Post("/api/auth/refresh", new { refresh = laptop.Refresh })).AssertProblem(HttpStatusCode.Unauthorized, "token_reused");

        (await _api.Heartbeat(phone, laptopToken, 10)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        (await _api.Get(laptopUrl)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        (await _api.Heartbeat(phone, phoneToken, 10)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_password_change_ends_the_sessions_of_every_other_sign_in_and_keeps_its_own()
    {
        var (laptop, phone) = await TwoSignIns();
        var lessons = await _api.LessonIds();
        var (laptopToken, _) = await Start(laptop, lessons[0], "laptop");
        var (phoneToken, _) = await Start(phone, lessons[1], "phone");

        (await _api.Post("/api/auth/password", new { current_password = ApiClient.Password, new_password = "brisk-walnut-harbour" }, phone.Access))
            .AssertStatus(HttpStatusCode.NoContent);

        (await _api.Heartbeat(phone, laptopToken, 10)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        (await _api.Heartbeat(phone, phoneToken, 10)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_media_url_expires_no_later_than_its_session()
    {
        var (laptop, _) = await TwoSignIns();
        var started = (await _api.StartVideo(laptop, (await _api.LessonIds())[0], "laptop")).AssertStatus(HttpStatusCode.Created).Json;

        var exp = long.Parse(ExpParameter().Match(started.GetProperty("video_url").GetString()!).Groups[1].Value);
        var expiresAt = DateTimeOffset.Parse(started.GetProperty("expires_at").GetString()!);

        Assert.True(DateTimeOffset.FromUnixTimeSeconds(exp) <= expiresAt, $"exp {exp} is after expires_at {expiresAt:O}");
    }

    /// <summary>One user signed in twice (two refresh families), each on a device of its own.</summary>
    private async Task<(Session Laptop, Session Phone)> TwoSignIns()
    {
        var email = ApiClient.NewEmail();
        (await _api.Register(email)).AssertStatus(HttpStatusCode.Created);
        var laptop = Session.From(email, (await _api.Login(email)).AssertStatus(HttpStatusCode.OK));
        var phone = Session.From(email, (await _api.Login(email)).AssertStatus(HttpStatusCode.OK));
        (await _api.RegisterDevice(laptop, "laptop")).AssertStatus(HttpStatusCode.Created);
        (await _api.RegisterDevice(phone, "phone", "ios")).AssertStatus(HttpStatusCode.Created);
        return (laptop, phone);
    }

    private async Task<(string Token, string Url)> Start(Session session, string lessonId, string deviceId)
    {
        var started = (await _api.StartVideo(session, lessonId, deviceId)).AssertStatus(HttpStatusCode.Created).Json;
        return (started.GetProperty("session_token").GetString()!, started.GetProperty("video_url").GetString()!);
    }

    [GeneratedRegex(@"[?&]exp=(\d+)")]
    private static partial Regex ExpParameter();

    /// <summary>Two devices may be active and play at once, so two sign-ins of one user can each hold a session.</summary>
    public sealed class Factory : LearningApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("Limits:MaxActiveDevices", "2"),
            new("Limits:MaxConcurrentStreams", "2"),
        ];
    }
}
