using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

[Collection(ApiCollection.Name)]
public sealed class VideoApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Start_answers_a_session_with_a_signed_url_that_does_not_carry_the_token()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lessonId = (await _api.LessonIds())[0];
        var lesson = (await _api.Get($"/api/lessons/{lessonId}")).Json;

        var started = (await _api.StartVideo(session, lessonId, device)).AssertStatus(HttpStatusCode.Created).Json;

        var token = started.GetProperty("session_token").GetString()!;
        Assert.Equal(43, token.Length);
        Assert.DoesNotContain(token, started.GetProperty("video_url").GetString());
        Assert.Contains($"/media/lessons/{lessonId}?", started.GetProperty("video_url").GetString());
        var expiresAt = DateTimeOffset.Parse(started.GetProperty("expires_at").GetString()!);
        Assert.Equal(factory.Clock.GetUtcNow().AddHours(2), expiresAt, TimeSpan.FromSeconds(1));
        Assert.Equal(15, started.GetProperty("heartbeat_interval_seconds").GetInt32());
        Assert.Equal(lessonId, started.GetProperty("lesson").GetProperty("id").GetString());
        Assert.Equal(lesson.GetProperty("title").GetString(), started.GetProperty("lesson").GetProperty("title").GetString());
        Assert.Equal(lesson.GetProperty("duration_minutes").GetInt32(), started.GetProperty("lesson").GetProperty("duration_minutes").GetInt32());
    }

    [Fact]
    public async Task Only_an_active_device_of_the_caller_may_start()
    {
        var (session, _) = await _api.SignUpWithDevice("web-one");
        var (_, otherUsersDevice) = await _api.SignUpWithDevice("web-two");
        var lessonId = (await _api.LessonIds())[0];
        await _api.Transfer(session, "ios-now");

        (await _api.StartVideo(session, lessonId, "web-one")).AssertProblem(HttpStatusCode.Forbidden, "device_not_active");
        (await _api.StartVideo(session, lessonId, otherUsersDevice)).AssertProblem(HttpStatusCode.Forbidden, "device_not_active");
        (await _api.StartVideo(session, lessonId, "never-registered")).AssertProblem(HttpStatusCode.Forbidden, "device_not_active");
        (await _api.StartVideo(session, lessonId, "ios-now")).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Starting_an_unknown_lesson_is_404()
    {
        var (session, device) = await _api.SignUpWithDevice();
        (await _api.StartVideo(session, Guid.NewGuid().ToString(), device)).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
    }

    [Fact]
    public async Task Starting_again_on_the_same_device_replaces_the_session()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lessons = await _api.LessonIds();
        var first = Token(await _api.StartVideo(session, lessons[0], device));

        var second = Token((await _api.StartVideo(session, lessons[1], device)).AssertStatus(HttpStatusCode.Created));

        (await _api.Heartbeat(session, first, 5)).AssertProblem(HttpStatusCode.Gone, "session_expired").Json.GetProperty("reason").GetString().ShouldBe("replaced");
        (await _api.Heartbeat(session, second, 5)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Heartbeat_keeps_the_session_alive_and_counts_down_to_expiry()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = Token(await _api.StartVideo(session, (await _api.LessonIds())[0], device));
        factory.Clock.Advance(TimeSpan.FromSeconds(15));

        var beat = (await _api.Post("/api/video/heartbeat/", new { session_token = token, current_time = 15 }, session.Access)).AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal("ok", beat.GetProperty("status").GetString());
        Assert.Equal(7200 - 15, beat.GetProperty("expires_in").GetInt32());
    }

    [Fact]
    public async Task A_session_without_heartbeats_for_over_90_seconds_is_stale()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = Token(await _api.StartVideo(session, (await _api.LessonIds())[0], device));

        factory.Clock.Advance(TimeSpan.FromSeconds(90));
        (await _api.Heartbeat(session, token, 10)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromSeconds(91));

        (await _api.Heartbeat(session, token, 20)).AssertProblem(HttpStatusCode.Gone, "session_expired").Json.GetProperty("reason").GetString().ShouldBe("stale");
        (await _api.StartVideo(session, (await _api.LessonIds())[1], device)).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_session_expires_two_hours_after_it_started_however_often_it_beats()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lessons = await _api.LessonIds();
        var token = Token(await _api.StartVideo(session, lessons[0], device));
        for (var elapsed = 60; elapsed < 7200; elapsed += 60)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(60));
            (await _api.Heartbeat(session, token, 0)).AssertStatus(HttpStatusCode.OK);
        }

        factory.Clock.Advance(TimeSpan.FromSeconds(60));

        (await _api.Heartbeat(session, token, 0)).AssertProblem(HttpStatusCode.Gone, "session_expired").Json.GetProperty("reason").GetString().ShouldBe("expired");
    }

    [Fact]
    public async Task Heartbeats_on_unknown_or_foreign_tokens_are_404()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var (stranger, strangersDevice) = await _api.SignUpWithDevice();
        var lessonId = (await _api.LessonIds())[0];
        var strangersToken = Token(await _api.StartVideo(stranger, lessonId, strangersDevice));

        (await _api.Heartbeat(session, strangersToken, 1)).AssertProblem(HttpStatusCode.NotFound, "session_not_found");
        (await _api.Heartbeat(session, "no-such-token", 1)).AssertProblem(HttpStatusCode.NotFound, "session_not_found");
        (await _api.EndVideo(session, "no-such-token", 1)).AssertProblem(HttpStatusCode.NotFound, "session_not_found");
        (await _api.Heartbeat(stranger, strangersToken, 1)).AssertStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("\"12\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("-1")]
    [InlineData("100000")]
    public async Task Positions_that_are_not_a_number_within_the_lesson_are_400(string position)
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = Token(await _api.StartVideo(session, (await _api.LessonIds())[0], device));
        var body = $"{{\"session_token\": \"{token}\", \"current_time\": {position}}}";

        var response = (await _api.Send(HttpMethod.Post, "/api/video/heartbeat", ApiClient.JsonContent(body), session.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        Assert.True(response.Json.GetProperty("errors").TryGetProperty("current_time", out _), response.Body);
    }

    [Fact]
    public async Task Watch_time_is_the_forward_movement_capped_by_the_wall_clock()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = Token(await _api.StartVideo(session, (await _api.LessonIds())[0], device));

        for (var position = 15; position <= 60; position += 15)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(15));
            (await _api.Heartbeat(session, token, position)).AssertStatus(HttpStatusCode.OK);
        }

        // Seeking far ahead 15 s later credits 15 s + 2 s, not the jump.
        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        await _api.Heartbeat(session, token, 500);
        // Fake beats in quick succession credit only the little wall-clock time that passed.
        for (var i = 1; i <= 5; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await _api.Heartbeat(session, token, 500 + i * 15);
        }

        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        var ended = (await _api.EndVideo(session, token, 585)).AssertStatus(HttpStatusCode.OK).Json;

        // 60 (four honest beats) + 17 (the seek spends the session's one 2 s allowance) + 5 x 1 (fake beats) + 10 (the end):
        // the 90 s of wall-clock time plus 2.
        Assert.Equal(60 + 17 + 5 + 10, ended.GetProperty("watch_time_seconds").GetInt32());
        Assert.False(string.IsNullOrEmpty(ended.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Sixty_fast_beats_in_three_point_two_seconds_credit_at_most_the_elapsed_time_plus_two_seconds()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = Token(await _api.StartVideo(session, (await _api.LessonIds())[0], device));

        for (var i = 1; i <= 60; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(3.2 / 60));
            (await _api.Heartbeat(session, token, i * 2)).AssertStatus(HttpStatusCode.OK);
        }

        var ended = (await _api.EndVideo(session, token, 120)).AssertStatus(HttpStatusCode.OK).Json;

        Assert.InRange(ended.GetProperty("watch_time_seconds").GetInt32(), 0, 5);
    }

    [Fact]
    public async Task Ending_is_idempotent_and_a_heartbeat_after_it_is_410_ended()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = Token(await _api.StartVideo(session, (await _api.LessonIds())[0], device));
        factory.Clock.Advance(TimeSpan.FromSeconds(20));

        var first = (await _api.EndVideo(session, token, 20)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("watch_time_seconds").GetInt32();
        factory.Clock.Advance(TimeSpan.FromSeconds(20));
        var second = (await _api.EndVideo(session, token, 40)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("watch_time_seconds").GetInt32();

        Assert.Equal(20, first);
        Assert.Equal(first, second);
        (await _api.Heartbeat(session, token, 40)).AssertProblem(HttpStatusCode.Gone, "session_expired").Json.GetProperty("reason").GetString().ShouldBe("ended");
    }

    [Fact]
    public async Task Transfer_ends_the_old_devices_session_at_once()
    {
        var (session, device) = await _api.SignUpWithDevice("web-old");
        var started = (await _api.StartVideo(session, (await _api.LessonIds())[0], device)).Json;
        var token = started.GetProperty("session_token").GetString()!;

        await _api.Transfer(session, "ios-new");

        (await _api.Heartbeat(session, token, 5)).AssertProblem(HttpStatusCode.Gone, "session_expired").Json.GetProperty("reason").GetString().ShouldBe("device_transferred");
        (await _api.Get(started.GetProperty("video_url").GetString()!)).AssertProblem(HttpStatusCode.Gone, "session_expired");
    }

    [Fact]
    public async Task Revoking_a_device_ends_its_session_at_once()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = Token(await _api.StartVideo(session, (await _api.LessonIds())[0], device));
        var id = (await _api.Get("/api/devices", session.Access)).Json[0].GetProperty("id").GetString();

        await _api.Send(HttpMethod.Delete, $"/api/devices/{id}/revoke", null, session.Access);

        (await _api.Heartbeat(session, token, 5)).AssertProblem(HttpStatusCode.Gone, "session_expired").Json.GetProperty("reason").GetString().ShouldBe("device_revoked");
    }

    [Fact]
    public async Task Thirty_concurrent_starts_leave_exactly_one_live_session()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lessons = await _api.LessonIds();

        var starts = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => _api.StartVideo(session, lessons[i % lessons.Count], device)));

        Assert.All(starts, s => s.AssertStatus(HttpStatusCode.Created));
        var beats = await Task.WhenAll(starts.Select(s => _api.Heartbeat(session, Token(s), 1)));
        Assert.Single(beats, b => b.Status == HttpStatusCode.OK);
        // Every replaced token still answers why it ended (a tombstone each), none is forgotten (404).
        var gone = beats.Where(b => b.Status != HttpStatusCode.OK).ToList();
        Assert.Equal(29, gone.Count);
        Assert.All(gone, b => Assert.Equal("replaced", b.AssertProblem(HttpStatusCode.Gone, "session_expired").Json.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task The_seed_clients_calls_work_unchanged()
    {
        // The web client of the platform this replaces: trailing slashes, integer positions, no takeover field.
        var (session, device) = await _api.SignUpWithDevice("web-8c4f1f66-1d7e-4ec5-9f0e-3d1f2a6b7c8d");
        (await _api.Post("/api/devices/register/", new { device_id = device, device_name = "My Device", platform = "web" }, session.Access)).AssertStatus(HttpStatusCode.OK);
        var started = (await _api.Post("/api/video/start/", new { lesson_id = (await _api.LessonIds())[3], device_id = device }, session.Access)).AssertStatus(HttpStatusCode.Created).Json;
        var token = started.GetProperty("session_token").GetString();
        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        (await _api.Post("/api/video/heartbeat/", new { session_token = token, current_time = 15 }, session.Access)).AssertStatus(HttpStatusCode.OK);
        (await _api.Post("/api/video/end/", new { session_token = token, final_time = 15 }, session.Access)).AssertStatus(HttpStatusCode.OK);
    }

    private static string Token(ApiResponse started) => started.Json.GetProperty("session_token").GetString()!;
}

internal static class AssertExtensions
{
    public static void ShouldBe(this string? actual, string expected) => Assert.Equal(expected, actual);
}
