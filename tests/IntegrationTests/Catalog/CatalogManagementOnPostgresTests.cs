using System.Net;
using Learning.Api.Seeding;
using Learning.TestSupport;
using Npgsql;

namespace Learning.IntegrationTests.Catalog;

/// <summary>Catalog management over HTTP with the catalog and the audit log in PostgreSQL, across a restart.</summary>
public sealed class CatalogManagementOnPostgresTests
{
    [Fact]
    public async Task An_operator_builds_a_course_learners_see_it_every_change_is_audited_and_it_survives_a_restart()
    {
        var database = await PostgresDatabase.CreateAsync(migrate: false);
        string courseId;
        string[] lessons;
        using (var factory = new PostgresApiFactory(database))
        {
            var api = factory.CreateApiClient();
            var admin = await CatalogAdminClient.SignInAsync(api);
            courseId = await admin.CreateCourse("Knots on PostgreSQL", published: false);
            lessons = [await admin.AddLesson(courseId, 1, title: "Bowline"), await admin.AddLesson(courseId, 2, title: "Hitch"),
                await admin.AddLesson(courseId, 3, title: "Splice")];
            (await admin.Send(HttpMethod.Post, $"/api/admin/courses/{courseId}/lessons", new { title = "Clash", duration_minutes = 5, order = 2 }))
                .AssertProblem(HttpStatusCode.Conflict, "order_taken");
            (await admin.Send(HttpMethod.Patch, $"/api/admin/courses/{courseId}", new { title = "Knots, stored" })).AssertStatus(HttpStatusCode.OK);
            (await admin.Send(HttpMethod.Patch, $"/api/admin/lessons/{lessons[0]}", new { title = "Bowline, retitled" })).AssertStatus(HttpStatusCode.OK);
            // Every lesson moves, two of them onto each other's number: only a commit-time uniqueness check allows it.
            (await admin.Send(HttpMethod.Put, $"/api/admin/courses/{courseId}/lesson-order", new { lesson_ids = new[] { lessons[2], lessons[0], lessons[1] } }))
                .AssertStatus(HttpStatusCode.OK);
            Assert.DoesNotContain(courseId, await PublicCourseIds(api));

            (await admin.Send(HttpMethod.Patch, $"/api/admin/courses/{courseId}", new { published = true })).AssertStatus(HttpStatusCode.OK);

            Assert.Contains(courseId, await PublicCourseIds(api));
            Assert.Equal(["Splice", "Bowline, retitled", "Hitch"], await PublicLessonTitles(api, courseId));
        }

        var adminId = await PostgresDatabase.ScalarAsync<Guid>(database, "SELECT id FROM users WHERE email = $1", new DemoOptions().AdminEmail);
        Assert.Equal(
            [("course_create", adminId), ("course_update", adminId), ("course_update", adminId), ("course_update", adminId),
             ("lesson_create", adminId), ("lesson_create", adminId), ("lesson_create", adminId), ("lesson_update", adminId)],
            await AuditOfCourseAsync(database, courseId));
        Assert.Equal([(lessons[2], 1), (lessons[0], 2), (lessons[1], 3)], await StoredOrderAsync(database, courseId));

        using var restarted = new PostgresApiFactory(database);
        var again = restarted.CreateApiClient();
        Assert.Contains(courseId, await PublicCourseIds(again));
        Assert.Equal(["Splice", "Bowline, retitled", "Hitch"], await PublicLessonTitles(again, courseId));
    }

    private static async Task<List<string>> PublicCourseIds(ApiClient api) =>
        [.. (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];

    private static async Task<List<string>> PublicLessonTitles(ApiClient api, string courseId) =>
        [.. (await api.Get($"/api/courses/{courseId}")).AssertStatus(HttpStatusCode.OK).Json.GetProperty("lessons").EnumerateArray()
            .Select(l => l.GetProperty("title").GetString()!)];

    /// <summary>Each entry's action and user, where the user must be the acting admin named in the metadata.</summary>
    private static async Task<List<(string Action, Guid User)>> AuditOfCourseAsync(string database, string courseId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT action, user_id, metadata->>'actor_id' FROM audit_logs WHERE metadata->>'course_id' = $1 ORDER BY action
            """, connection) { Parameters = { new() { Value = courseId } } };
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(string, Guid)>();
        while (await reader.ReadAsync())
        {
            Assert.Equal(reader.GetGuid(1).ToString(), reader.GetString(2));
            entries.Add((reader.GetString(0), reader.GetGuid(1)));
        }

        return entries;
    }

    private static async Task<List<(string Lesson, int Order)>> StoredOrderAsync(string database, string courseId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, sort_order FROM lessons WHERE course_id = $1 ORDER BY sort_order", connection)
        {
            Parameters = { new() { Value = Guid.Parse(courseId) } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, int)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0).ToString(), reader.GetInt32(1)));
        }

        return rows;
    }
}
