using System.Net;
using System.Text.Json;
using Learning.Persistence.Progress;
using Learning.Progress;
using Learning.TestSupport;
using Npgsql;

namespace Learning.IntegrationTests.Postgres;

/// <summary>Learning progress in PostgreSQL: it survives a restart, and the table keeps the newest record whatever the write order.</summary>
public sealed class ProgressRestartTests
{
    [Fact]
    public async Task Progress_survives_a_restart_whether_the_session_ended_or_was_still_playing()
    {
        var database = await PostgresDatabase.CreateAsync();
        Session learner;
        string ended, playing, courseId;
        using (var before = new PostgresApiFactory(database))
        {
            var api = before.CreateApiClient();
            (learner, var device) = await api.SignUpWithDevice("web-progress");
            var lessons = await api.LessonIds();
            (ended, playing) = (lessons[1], lessons[2]);
            courseId = (await api.Get($"/api/lessons/{ended}")).Json.GetProperty("course_id").GetString()!;

            var token = Token(await api.StartVideo(learner, ended, device));
            await Play(before, api, learner, token, beats: 4);
            (await api.EndVideo(learner, token, 60)).AssertStatus(HttpStatusCode.OK);

            // Still playing when the silo stops: written behind on the flush or on deactivation.
            token = Token(await api.StartVideo(learner, playing, device));
            await Play(before, api, learner, token, beats: 2);
        }

        using var after = new PostgresApiFactory(database);
        var restarted = after.CreateApiClient();

        var rows = (await restarted.Get($"/api/progress?course_id={courseId}", learner.Access)).AssertStatus(HttpStatusCode.OK).Json
            .EnumerateArray().ToDictionary(r => r.GetProperty("lesson_id").GetString()!);
        Assert.True(rows.Count == 2, $"Played {ended} and {playing} of course {courseId}; progress rows: {string.Join("; ", rows.Values)}");
        Assert.Equal((60, 60), Seconds(rows[ended]));
        Assert.Equal((30, 30), Seconds(rows[playing]));
        Assert.Equal(2L, await PostgresDatabase.ScalarAsync<long>(database,
            "SELECT count(*) FROM lesson_progress p JOIN users u ON u.id = p.user_id WHERE u.email = $1", learner.Email));

        var resumed = (await restarted.StartVideo(learner, ended, "web-progress")).AssertStatus(HttpStatusCode.Created).Json;
        Assert.Equal(60, resumed.GetProperty("resume_at").GetInt32());
        var detail = (await restarted.Get($"/api/courses/{courseId}", learner.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var progress = detail.GetProperty("lessons").EnumerateArray().Single(l => l.GetProperty("id").GetString() == playing).GetProperty("progress");
        Assert.Equal(30, progress.GetProperty("position_seconds").GetInt32());
    }

    [Fact]
    public async Task The_table_keeps_the_newest_record_and_repeated_or_late_writes_change_nothing()
    {
        var database = await PostgresDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var store = new PostgresProgressStore(dataSource);
        var (userId, lessonId, courseId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var first = ProgressRules.Record(ProgressRules.New(lessonId, courseId, 600), 15, 15, 600, at);
        var second = ProgressRules.Record(first, 30, 15, 600, at.AddSeconds(15));
        var sameInstant = ProgressRules.Record(second, 20, 0, 600, at.AddSeconds(15));

        await store.WriteAsync(userId, [second]);
        await store.WriteAsync(userId, [first]);
        await store.WriteAsync(userId, [second]);
        Assert.Equal((30.0, 30.0, 2L), Of(await store.FindAsync(userId, lessonId)));

        // Two changes in the same instant: the later revision wins.
        await store.WriteAsync(userId, [sameInstant]);
        Assert.Equal((20.0, 30.0, 3L), Of(await store.FindAsync(userId, lessonId)));
        var stored = await store.FindAsync(userId, lessonId);
        Assert.Equal(sameInstant.Watched.ToArray(), stored!.Watched.ToArray());
        Assert.Equal(at.AddSeconds(15), stored.UpdatedAt);

        var other = ProgressRules.Record(ProgressRules.New(Guid.NewGuid(), Guid.NewGuid(), 600), 10, 10, 600, at.AddSeconds(30));
        await store.WriteAsync(userId, [other, ProgressRules.New(Guid.NewGuid(), courseId, 600)]);
        Assert.Equal([other.LessonId, lessonId], (await store.ListAsync(userId, null)).Select(p => p.LessonId));
        Assert.Equal([lessonId], (await store.ListAsync(userId, courseId)).Select(p => p.LessonId));
        Assert.Empty(await store.ListAsync(Guid.NewGuid(), null));
    }

    private static (double Position, double Watched, long Revision) Of(LessonProgress? progress) =>
        (progress!.PositionSeconds, progress.WatchedSeconds, progress.Revision);

    private static (int Position, int Watched) Seconds(JsonElement row) =>
        (row.GetProperty("position_seconds").GetInt32(), row.GetProperty("watched_seconds").GetInt32());

    private static async Task Play(LearningApiFactory factory, ApiClient api, Session learner, string token, int beats)
    {
        for (var position = 15; position <= beats * 15; position += 15)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(15));
            (await api.Heartbeat(learner, token, position)).AssertStatus(HttpStatusCode.OK);
        }
    }

    private static string Token(ApiResponse started) =>
        started.AssertStatus(HttpStatusCode.Created).Json.GetProperty("session_token").GetString()!;
}
