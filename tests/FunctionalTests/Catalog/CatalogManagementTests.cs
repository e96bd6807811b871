using System.Net;
using System.Text.Json;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Catalog;

[Collection(CatalogCollection.Name)]
public sealed class CatalogManagementTests(CatalogApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task An_operator_builds_a_course_from_nothing_and_learners_see_it_once_it_is_published()
    {
        var admin = await factory.AdminAsync(_api);

        var created = (await admin.Send(HttpMethod.Post, "/api/admin/courses/", new { title = "Knots for sailors", description = "Ten knots." }))
            .AssertStatus(HttpStatusCode.Created).Json;
        var courseId = created.GetProperty("id").GetString()!;
        Assert.Equal("Knots for sailors", created.GetProperty("title").GetString());
        Assert.False(created.GetProperty("published").GetBoolean());
        Assert.Equal(0, created.GetProperty("lesson_count").GetInt32());
        Assert.EndsWith("Z", created.GetProperty("created_at").GetString());
        var lesson = (await admin.Send(HttpMethod.Post, $"/api/admin/courses/{courseId}/lessons",
            new { title = "The bowline", duration_minutes = 12, order = 1, free_preview = true })).AssertStatus(HttpStatusCode.Created).Json;
        var lessonId = lesson.GetProperty("id").GetString()!;
        Assert.Equal(courseId, lesson.GetProperty("course_id").GetString());
        Assert.True(lesson.GetProperty("free_preview").GetBoolean());
        Assert.False(lesson.GetProperty("has_media").GetBoolean());

        Assert.DoesNotContain(courseId, await PublicCourseIds());
        (await _api.Get($"/api/courses/{courseId}")).AssertProblem(HttpStatusCode.NotFound, "course_not_found");
        (await _api.Get($"/api/lessons/{lessonId}")).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
        var student = await _api.SignUp();
        (await _api.Get($"/api/lessons/{lessonId}", student.Access)).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
        var asAdmin = (await _api.Get($"/api/lessons/{lessonId}", admin.Session.Access)).AssertStatus(HttpStatusCode.OK);
        Assert.Contains("private", asAdmin.Headers.CacheControl!.ToString());

        (await admin.Send(HttpMethod.Patch, $"/api/admin/courses/{courseId}", new { published = true })).AssertStatus(HttpStatusCode.OK);

        Assert.Contains(courseId, await PublicCourseIds());
        var course = (await _api.Get($"/api/courses/{courseId}")).AssertStatus(HttpStatusCode.OK).Json;
        var listed = Assert.Single(course.GetProperty("lessons").EnumerateArray());
        Assert.Equal("The bowline", listed.GetProperty("title").GetString());
        Assert.True(listed.GetProperty("free_preview").GetBoolean());
        Assert.False(listed.GetProperty("has_media").GetBoolean());
        Assert.Equal(courseId, (await _api.Get($"/api/lessons/{lessonId}")).AssertStatus(HttpStatusCode.OK).Json.GetProperty("course_id").GetString());

        (await admin.Send(HttpMethod.Patch, $"/api/admin/courses/{courseId}", new { published = false })).AssertStatus(HttpStatusCode.OK);

        Assert.DoesNotContain(courseId, await PublicCourseIds());
        (await _api.Get($"/api/lessons/{lessonId}")).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
        var (learner, device) = await _api.SignUpWithDevice();
        (await _api.StartVideo(learner, lessonId, device)).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
    }

    [Fact]
    public async Task Edits_show_in_the_admin_view_and_the_public_catalog()
    {
        var admin = await factory.AdminAsync(_api);
        var courseId = await admin.CreateCourse();
        var lessonId = await admin.AddLesson(courseId, order: 1, durationMinutes: 10);

        var course = (await admin.Send(HttpMethod.Patch, $"/api/admin/courses/{courseId}/",
            new { title = "Renamed", description = "New words." })).AssertStatus(HttpStatusCode.OK).Json;
        var lesson = (await admin.Send(HttpMethod.Patch, $"/api/admin/lessons/{lessonId}",
            new { title = "Retitled", duration_minutes = 42, free_preview = true })).AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal(("Renamed", "New words.", 1), (course.GetProperty("title").GetString(), course.GetProperty("description").GetString(),
            course.GetProperty("lesson_count").GetInt32()));
        Assert.Equal(42, lesson.GetProperty("duration_minutes").GetInt32());
        var detail = (await admin.Send(HttpMethod.Get, $"/api/admin/courses/{courseId}")).AssertStatus(HttpStatusCode.OK).Json;
        var stored = Assert.Single(detail.GetProperty("lessons").EnumerateArray());
        Assert.Equal(("Retitled", 42, true, false), (stored.GetProperty("title").GetString(), stored.GetProperty("duration_minutes").GetInt32(),
            stored.GetProperty("free_preview").GetBoolean(), stored.GetProperty("has_media").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("media").ValueKind);
        var shown = (await _api.Get($"/api/lessons/{lessonId}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(("Retitled", 42), (shown.GetProperty("title").GetString(), shown.GetProperty("duration_minutes").GetInt32()));
        Assert.Equal("Renamed", (await _api.Get($"/api/courses/{courseId}")).Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_order_number_is_taken_once_per_course_and_lessons_swap_in_one_call()
    {
        var admin = await factory.AdminAsync(_api);
        var courseId = await admin.CreateCourse();
        var first = await admin.AddLesson(courseId, order: 1, title: "First");
        var second = await admin.AddLesson(courseId, order: 2, title: "Second");

        (await admin.Send(HttpMethod.Post, $"/api/admin/courses/{courseId}/lessons", new { title = "Again", duration_minutes = 5, order = 2 }))
            .AssertProblem(HttpStatusCode.Conflict, "order_taken");
        (await admin.Send(HttpMethod.Patch, $"/api/admin/lessons/{first}", new { order = 2 })).AssertProblem(HttpStatusCode.Conflict, "order_taken");

        var swapped = (await admin.Send(HttpMethod.Put, $"/api/admin/courses/{courseId}/lesson-order", new { lesson_ids = new[] { second, first } }))
            .AssertStatus(HttpStatusCode.OK).Json.EnumerateArray().ToList();

        Assert.Equal([(second, 1), (first, 2)], swapped.Select(l => (l.GetProperty("id").GetString(), l.GetProperty("order").GetInt32())));
        var shown = (await _api.Get($"/api/courses/{courseId}")).Json.GetProperty("lessons").EnumerateArray();
        Assert.Equal(["Second", "First"], shown.Select(l => l.GetProperty("title").GetString()));
        (await admin.Send(HttpMethod.Put, $"/api/admin/courses/{courseId}/lesson-order", new { lesson_ids = new[] { second } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Send(HttpMethod.Put, $"/api/admin/courses/{courseId}/lesson-order", new { lesson_ids = new[] { second, first, Guid.NewGuid().ToString() } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Send(HttpMethod.Put, $"/api/admin/courses/{courseId}/lesson-order", new { lesson_ids = new[] { second, "nope" } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Send(HttpMethod.Put, $"/api/admin/courses/{Guid.NewGuid()}/lesson-order", new { lesson_ids = new[] { second, first } }))
            .AssertProblem(HttpStatusCode.NotFound, "course_not_found");
    }

    [Theory]
    [InlineData("POST", "/api/admin/courses", """{"title": 5}""", "title")]
    [InlineData("POST", "/api/admin/courses", """{"title": "A", "published": "yes"}""", "published")]
    [InlineData("POST", "/api/admin/courses", """{"description": "no title"}""", "title")]
    [InlineData("POST", "/api/admin/courses", """{"title": ""}""", "title")]
    [InlineData("POST", "/api/admin/courses", """{"title": "A", "description": null, "published": null}""", null)]
    [InlineData("PATCH", "/api/admin/courses/{course}", """{}""", "body")]
    [InlineData("PATCH", "/api/admin/courses/{course}", """{"published": 1}""", "published")]
    [InlineData("POST", "/api/admin/courses/{course}/lessons", """{"title": "L", "duration_minutes": "12", "order": 1}""", "duration_minutes")]
    [InlineData("POST", "/api/admin/courses/{course}/lessons", """{"title": "L", "duration_minutes": 12, "order": 1.5}""", "order")]
    [InlineData("POST", "/api/admin/courses/{course}/lessons", """{"title": "L", "order": 1}""", "duration_minutes")]
    [InlineData("POST", "/api/admin/courses/{course}/lessons", """{"title": "L", "duration_minutes": 0, "order": 1}""", "duration_minutes")]
    [InlineData("POST", "/api/admin/courses/{course}/lessons", """{"title": "L", "duration_minutes": 601, "order": 1}""", "duration_minutes")]
    [InlineData("POST", "/api/admin/courses/{course}/lessons", """{"title": "L", "duration_minutes": 5, "order": 0}""", "order")]
    [InlineData("PATCH", "/api/admin/lessons/{lesson}", """{"free_preview": "true"}""", "free_preview")]
    [InlineData("PUT", "/api/admin/courses/{course}/lesson-order", """{"lesson_ids": "all"}""", "lesson_ids")]
    [InlineData("PUT", "/api/admin/courses/{course}/lesson-order", """{}""", "lesson_ids")]
    public async Task Bad_fields_are_400_validation_error_naming_the_field(string method, string path, string body, string? field)
    {
        var admin = await factory.AdminAsync(_api);
        var courseId = await admin.CreateCourse();
        var lessonId = await admin.AddLesson(courseId, order: 1);

        var response = await _api.Send(new HttpMethod(method), path.Replace("{course}", courseId).Replace("{lesson}", lessonId),
            ApiClient.JsonContent(body), admin.Session.Access);

        if (field is null)
        {
            response.AssertStatus(HttpStatusCode.Created); // null means "the default"
            return;
        }

        response.AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.Body);
    }

    [Fact]
    public async Task Titles_longer_than_200_and_descriptions_longer_than_5000_characters_are_refused()
    {
        var admin = await factory.AdminAsync(_api);

        (await admin.Send(HttpMethod.Post, "/api/admin/courses", new { title = new string('t', 201) })).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Send(HttpMethod.Post, "/api/admin/courses", new { title = "Fine", description = new string('d', 5001) }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Send(HttpMethod.Post, "/api/admin/courses", new { title = new string('t', 200), description = new string('d', 5000) }))
            .AssertStatus(HttpStatusCode.Created);
        (await _api.Send(HttpMethod.Post, "/api/admin/courses", new StringContent("{\"title\":", System.Text.Encoding.UTF8, "application/json"), admin.Session.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Only_an_empty_course_can_be_deleted()
    {
        var admin = await factory.AdminAsync(_api);
        var courseId = await admin.CreateCourse();
        var lessonId = await admin.AddLesson(courseId, order: 1);

        (await admin.Send(HttpMethod.Delete, $"/api/admin/courses/{courseId}")).AssertProblem(HttpStatusCode.Conflict, "course_not_empty");
        (await admin.Send(HttpMethod.Delete, $"/api/admin/lessons/{lessonId}")).AssertStatus(HttpStatusCode.NoContent);
        (await admin.Send(HttpMethod.Delete, $"/api/admin/lessons/{lessonId}")).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
        (await admin.Send(HttpMethod.Delete, $"/api/admin/courses/{courseId}")).AssertStatus(HttpStatusCode.NoContent);

        (await admin.Send(HttpMethod.Get, $"/api/admin/courses/{courseId}")).AssertProblem(HttpStatusCode.NotFound, "course_not_found");
        (await admin.Send(HttpMethod.Delete, $"/api/admin/courses/{courseId}")).AssertProblem(HttpStatusCode.NotFound, "course_not_found");
        (await admin.Send(HttpMethod.Delete, "/api/admin/courses/not-a-uuid")).AssertProblem(HttpStatusCode.NotFound, "course_not_found");
        (await admin.Send(HttpMethod.Patch, "/api/admin/lessons/42", new { title = "x" })).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
    }

    [Fact]
    public async Task The_admin_listing_filters_by_title_and_published_and_pages()
    {
        var admin = await factory.AdminAsync(_api);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var older = await admin.CreateCourse($"Listing {marker} one", published: true);
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var newer = await admin.CreateCourse($"listing {marker.ToUpperInvariant()} two", published: false);

        var all = (await admin.Send(HttpMethod.Get, $"/api/admin/courses?q=LISTING%20{marker}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal([newer, older], all.GetProperty("results").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next_cursor").ValueKind);
        var unpublished = (await admin.Send(HttpMethod.Get, $"/api/admin/courses?q={marker}&published=false")).Json.GetProperty("results");
        Assert.Equal([newer], unpublished.EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        var first = (await admin.Send(HttpMethod.Get, $"/api/admin/courses?q={marker}&limit=1")).Json;
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = (await admin.Send(HttpMethod.Get, $"/api/admin/courses?q={marker}&limit=1&cursor={cursor}")).Json;
        Assert.Equal(newer, Assert.Single(first.GetProperty("results").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(older, Assert.Single(second.GetProperty("results").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        (await admin.Send(HttpMethod.Get, "/api/admin/courses?limit=0")).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Send(HttpMethod.Get, "/api/admin/courses?published=maybe")).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task The_demo_catalog_is_listed_with_its_free_previews()
    {
        var admin = await factory.AdminAsync(_api);

        var demo = (await admin.Send(HttpMethod.Get, "/api/admin/courses?q=Yoga%20for%20Daily%20Practice")).AssertStatus(HttpStatusCode.OK).Json;
        var course = Assert.Single(demo.GetProperty("results").EnumerateArray());
        Assert.Equal(12, course.GetProperty("lesson_count").GetInt32());
        var lessons = (await admin.Send(HttpMethod.Get, $"/api/admin/courses/{course.GetProperty("id").GetString()}")).Json
            .GetProperty("lessons").EnumerateArray().ToList();
        Assert.Equal([true, .. Enumerable.Repeat(false, 11)], lessons.Select(l => l.GetProperty("free_preview").GetBoolean()));
    }

    [Fact]
    public async Task Every_change_is_audited_with_the_acting_admin()
    {
        var admin = await factory.AdminAsync(_api);
        var adminId = (await _api.Get("/api/auth/me", admin.Session.Access)).Json.GetProperty("id").GetString();
        var since = factory.Clock.GetUtcNow().AddSeconds(-1).ToString("O");
        var courseId = await admin.CreateCourse(published: false);
        var lessonId = await admin.AddLesson(courseId, order: 1);
        await admin.Send(HttpMethod.Patch, $"/api/admin/courses/{courseId}", new { title = "Audited" });
        await admin.Send(HttpMethod.Patch, $"/api/admin/lessons/{lessonId}", new { title = "Audited lesson" });
        (await admin.Upload(lessonId, SampleMedia.Mp4(61))).AssertStatus(HttpStatusCode.Created);
        await admin.Send(HttpMethod.Delete, $"/api/admin/lessons/{lessonId}");
        (await admin.Send(HttpMethod.Delete, $"/api/admin/courses/{courseId}")).AssertStatus(HttpStatusCode.NoContent);

        foreach (var action in new[] { "course_create", "course_update", "course_delete", "lesson_create", "lesson_update", "lesson_delete", "media_upload" })
        {
            var entries = (await _api.Get($"/api/audit-logs?action={action}&user_id={adminId}&since={Uri.EscapeDataString(since)}", admin.Session.Access))
                .AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
            var entry = Assert.Single(entries, e => e.GetProperty("metadata").ToString().Contains(action.StartsWith("course") ? courseId : lessonId));
            Assert.Equal(adminId, entry.GetProperty("metadata").GetProperty("actor_id").GetString());
            Assert.Equal(adminId, entry.GetProperty("user_id").GetString());
        }
    }

    [Theory]
    [InlineData("GET", "/api/admin/courses")]
    [InlineData("POST", "/api/admin/courses")]
    [InlineData("GET", "/api/admin/courses/00000000-0000-0000-0000-000000000001")]
    [InlineData("PATCH", "/api/admin/courses/00000000-0000-0000-0000-000000000001")]
    [InlineData("DELETE", "/api/admin/courses/00000000-0000-0000-0000-000000000001")]
    [InlineData("POST", "/api/admin/courses/00000000-0000-0000-0000-000000000001/lessons")]
    [InlineData("PUT", "/api/admin/courses/00000000-0000-0000-0000-000000000001/lesson-order")]
    [InlineData("PATCH", "/api/admin/lessons/00000000-0000-0000-0000-000000000001")]
    [InlineData("DELETE", "/api/admin/lessons/00000000-0000-0000-0000-000000000001")]
    [InlineData("PUT", "/api/admin/lessons/00000000-0000-0000-0000-000000000001/media")]
    public async Task Students_get_403_on_every_catalog_management_route(string method, string path)
    {
        var student = await _api.SignUp();
        var body = method is "GET" or "DELETE" ? null : ApiClient.JsonContent(new { title = "Sneaky" });

        (await _api.Send(new HttpMethod(method), path, body, student.Access)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await _api.Send(new HttpMethod(method), path, null)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    private async Task<List<string?>> PublicCourseIds() =>
        [.. (await _api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray().Select(c => c.GetProperty("id").GetString())];
}
