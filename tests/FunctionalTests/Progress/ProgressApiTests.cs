using System.Net;
using System.Text.Json;
using Learning.Progress;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.FunctionalTests.Progress;

/// <summary>Learning progress over HTTP, on the fake clock: beats every 15 s as a client sends them.</summary>
[Collection(ApiCollection.Name)]
public sealed class ProgressApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Watching_a_lesson_to_ninety_percent_in_beats_completes_it()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lesson = await Lesson(1);
        var started = (await _api.StartVideo(session, lesson.Id, device)).AssertStatus(HttpStatusCode.Created).Json;
        Assert.Equal(0, started.GetProperty("resume_at").GetInt32());
        var token = started.GetProperty("session_token").GetString()!;

        var ninety = (int)Math.Ceiling(lesson.Seconds * 0.9);
        var position = 0;
        while (position + 15 < ninety)
        {
            position = await Beat(session, token, position + 15);
        }

        var before = Assert.Single((await Progress(session, lesson.CourseId)).EnumerateArray());
        Assert.False(before.GetProperty("completed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("completed_at").ValueKind);
        Assert.Equal(position, before.GetProperty("watched_seconds").GetInt32());

        position = await Beat(session, token, position + 15);
        (await _api.EndVideo(session, token, position)).AssertStatus(HttpStatusCode.OK);

        var row = Assert.Single((await Progress(session, lesson.CourseId)).EnumerateArray());
        Assert.Equal(lesson.Id, row.GetProperty("lesson_id").GetString());
        Assert.Equal(lesson.CourseId, row.GetProperty("course_id").GetString());
        Assert.Equal(position, row.GetProperty("position_seconds").GetInt32());
        Assert.Equal(position, row.GetProperty("watched_seconds").GetInt32());
        Assert.True(row.GetProperty("completed").GetBoolean());
        Assert.Equal(factory.Clock.GetUtcNow(), DateTimeOffset.Parse(row.GetProperty("completed_at").GetString()!), TimeSpan.FromSeconds(1));
        Assert.Equal(factory.Clock.GetUtcNow(), DateTimeOffset.Parse(row.GetProperty("updated_at").GetString()!), TimeSpan.FromSeconds(1));

        var course = Assert.Single((await _api.Get("/api/progress/courses", session.Access)).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray());
        Assert.Equal(lesson.CourseId, course.GetProperty("course_id").GetString());
        Assert.Equal(1, course.GetProperty("completed_lessons").GetInt32());
        var lessonCount = course.GetProperty("lesson_count").GetInt32();
        Assert.Equal(100 / lessonCount, course.GetProperty("percent").GetInt32());
        Assert.Equal((await Lesson(0)).Id, course.GetProperty("next_lesson_id").GetString());

        // A completed lesson starts from the beginning.
        var again = (await _api.StartVideo(session, lesson.Id, device)).AssertStatus(HttpStatusCode.Created).Json;
        Assert.Equal(0, again.GetProperty("resume_at").GetInt32());
    }

    [Fact]
    public async Task Seeking_to_the_end_does_not_complete_a_lesson()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lesson = await Lesson(2);
        var token = Token(await _api.StartVideo(session, lesson.Id, device));

        await Beat(session, token, lesson.Seconds);
        factory.Clock.Advance(TimeSpan.FromSeconds(5));
        (await _api.EndVideo(session, token, lesson.Seconds)).AssertStatus(HttpStatusCode.OK);

        var row = Assert.Single((await Progress(session, lesson.CourseId)).EnumerateArray());
        Assert.False(row.GetProperty("completed").GetBoolean());
        Assert.InRange(row.GetProperty("watched_seconds").GetInt32(), 1, 17);
        Assert.Equal(lesson.Seconds, row.GetProperty("position_seconds").GetInt32());
        var course = Assert.Single((await _api.Get("/api/progress/courses/", session.Access)).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray());
        Assert.Equal(0, course.GetProperty("completed_lessons").GetInt32());
        Assert.Equal(0, course.GetProperty("percent").GetInt32());
        Assert.Equal((await Lesson(0)).Id, course.GetProperty("next_lesson_id").GetString());
    }

    [Fact]
    public async Task A_lesson_ended_mid_way_resumes_where_it_was_left()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lesson = await Lesson(3);
        var token = Token(await _api.StartVideo(session, lesson.Id, device));
        var position = 0;
        for (var i = 0; i < 4; i++)
        {
            position = await Beat(session, token, position + 15);
        }

        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        (await _api.EndVideo(session, token, 70)).AssertStatus(HttpStatusCode.OK);

        var resumed = (await _api.StartVideo(session, lesson.Id, device)).AssertStatus(HttpStatusCode.Created).Json;
        Assert.Equal(70, resumed.GetProperty("resume_at").GetInt32());
        var row = Assert.Single((await Progress(session, lesson.CourseId)).EnumerateArray());
        Assert.Equal(70, row.GetProperty("position_seconds").GetInt32());
        Assert.Equal(70, row.GetProperty("watched_seconds").GetInt32());

        // Another lesson of a new user starts at 0.
        var (stranger, strangersDevice) = await _api.SignUpWithDevice();
        Assert.Equal(0, (await _api.StartVideo(stranger, lesson.Id, strangersDevice)).Json.GetProperty("resume_at").GetInt32());
        Assert.Empty((await Progress(stranger, null)).EnumerateArray());
    }

    [Fact]
    public async Task The_progress_list_is_most_recent_first_and_filters_by_course()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var first = await Lesson(0);
        var second = await Lesson(1);
        var otherCourse = await Lesson(12);
        foreach (var lesson in new[] { first, otherCourse, second })
        {
            var token = Token(await _api.StartVideo(session, lesson.Id, device));
            await Beat(session, token, 15);
            (await _api.EndVideo(session, token, 15)).AssertStatus(HttpStatusCode.OK);
        }

        var all = (await Progress(session, null)).EnumerateArray().Select(r => r.GetProperty("lesson_id").GetString()).ToList();
        Assert.Equal([second.Id, otherCourse.Id, first.Id], all);
        var one = (await Progress(session, first.CourseId)).EnumerateArray().Select(r => r.GetProperty("lesson_id").GetString()).ToList();
        Assert.Equal([second.Id, first.Id], one);
        Assert.Equal(2, (await _api.Get("/api/progress/courses", session.Access)).Json.GetArrayLength());

        (await _api.Get("/api/progress?course_id=not-a-uuid", session.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await _api.Get("/api/progress")).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.Get("/api/progress/courses", "not-a-token")).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task The_course_detail_carries_progress_privately_for_a_signed_in_caller_and_ignores_a_bad_bearer()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lesson = await Lesson(1);
        var token = Token(await _api.StartVideo(session, lesson.Id, device));
        await Beat(session, token, 15);
        await Beat(session, token, 30);

        var anonymous = await GetCourse(lesson.CourseId, null);
        anonymous.AssertStatus(HttpStatusCode.OK);
        AssertAnonymous(anonymous);

        var personal = await GetCourse(lesson.CourseId, session.Access);
        personal.AssertStatus(HttpStatusCode.OK);
        Assert.True(personal.Headers.CacheControl!.Private);
        Assert.Contains("Authorization", personal.Headers.Vary);
        Assert.Null(personal.Headers.ETag);
        var lessons = personal.Json.GetProperty("lessons").EnumerateArray().ToList();
        Assert.Equal(anonymous.Json.GetProperty("lessons").GetArrayLength(), lessons.Count);
        var watched = lessons.Single(l => l.GetProperty("id").GetString() == lesson.Id).GetProperty("progress");
        Assert.Equal(30, watched.GetProperty("position_seconds").GetInt32());
        Assert.False(watched.GetProperty("completed").GetBoolean());
        Assert.All(lessons.Where(l => l.GetProperty("id").GetString() != lesson.Id),
            l => Assert.Equal(JsonValueKind.Null, l.GetProperty("progress").ValueKind));
        Assert.True(lessons[0].TryGetProperty("duration_minutes", out _));

        // An If-None-Match with the anonymous tag must not turn the personal answer into a 304.
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/courses/{lesson.CourseId}");
        conditional.Headers.Authorization = new("Bearer", session.Access);
        conditional.Headers.IfNoneMatch.Add(anonymous.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.SendAsync(conditional)).StatusCode);

        // Invalid, expired or signed-out bearers get the anonymous answer, never 401.
        AssertAnonymous((await GetCourse(lesson.CourseId, "not-a-token")).AssertStatus(HttpStatusCode.OK));
        var now = factory.Clock.GetUtcNow();
        var expired = TokenMinter.Mint(TokenMinter.ClaimsOf(session), LearningApiFactory.SigningKey, now.AddHours(-2), now.AddHours(-1));
        AssertAnonymous((await GetCourse(lesson.CourseId, expired)).AssertStatus(HttpStatusCode.OK));
        (await _api.Post("/api/auth/logout", new { refresh = session.Refresh }, session.Access)).AssertStatus(HttpStatusCode.NoContent);
        AssertAnonymous((await GetCourse(lesson.CourseId, session.Access)).AssertStatus(HttpStatusCode.OK));
    }

    [Fact]
    public async Task The_user_grain_stores_only_the_lesson_being_played_and_ended_lessons_are_written_to_the_progress_table()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var userId = Guid.Parse((string)TokenMinter.ClaimsOf(session)["sub"]);
        var lessons = await _api.LessonIds();
        for (var i = 0; i < 6; i++)
        {
            var token = Token(await _api.StartVideo(session, lessons[i], device));
            await Beat(session, token, 15);
            (await _api.EndVideo(session, token, 15)).AssertStatus(HttpStatusCode.OK);
        }

        var playing = Token(await _api.StartVideo(session, lessons[6], device));
        await Beat(session, playing, 15);

        var stored = await StoredUserState.ReadAsync(factory, userId);
        Assert.Equal(lessons[6], Assert.Single(stored.Progress.Lessons).Progress.LessonId.ToString());
        var table = await factory.Services.GetRequiredService<IProgressStore>().ListAsync(userId, courseId: null);
        Assert.Equal(lessons.Take(6).Reverse(), table.Select(p => p.LessonId.ToString()));
        // The beat not yet written behind is answered from the grain.
        Assert.Equal(7, (await Progress(session, null)).GetArrayLength());
    }

    private sealed record LessonInfo(string Id, string CourseId, int Seconds);

    /// <summary>The catalog's lesson at <paramref name="index"/> (in course and lesson order), with its length in seconds.</summary>
    private async Task<LessonInfo> Lesson(int index)
    {
        var id = (await _api.LessonIds())[index];
        var lesson = (await _api.Get($"/api/lessons/{id}")).AssertStatus(HttpStatusCode.OK).Json;
        return new LessonInfo(id, lesson.GetProperty("course_id").GetString()!, lesson.GetProperty("duration_minutes").GetInt32() * 60);
    }

    private static void AssertAnonymous(ApiResponse response)
    {
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("Authorization", response.Headers.Vary);
        Assert.All(response.Json.GetProperty("lessons").EnumerateArray(), l => Assert.False(l.TryGetProperty("progress", out _)));
    }

    private Task<ApiResponse> GetCourse(string courseId, string? bearer) => _api.Get($"/api/courses/{courseId}", bearer);

    private async Task<JsonElement> Progress(Session session, string? courseId) =>
        (await _api.Get(courseId is null ? "/api/progress" : $"/api/progress?course_id={courseId}", session.Access))
        .AssertStatus(HttpStatusCode.OK).Json;

    private async Task<int> Beat(Session session, string token, int position)
    {
        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        (await _api.Heartbeat(session, token, position)).AssertStatus(HttpStatusCode.OK);
        return position;
    }

    private static string Token(ApiResponse started) =>
        started.AssertStatus(HttpStatusCode.Created).Json.GetProperty("session_token").GetString()!;
}
