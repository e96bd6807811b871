using System.Net;
using System.Net.Http.Headers;
using Learning.Api.Seeding;

namespace Learning.TestSupport;

/// <summary>The demo admin building a catalog through the catalog management routes.</summary>
public sealed class CatalogAdminClient(ApiClient api, Session admin)
{
    public Session Session { get; } = admin;

    public static async Task<CatalogAdminClient> SignInAsync(ApiClient api)
    {
        var demo = new DemoOptions();
        return new(api, Session.From(demo.AdminEmail, (await api.Login(demo.AdminEmail, demo.AdminPassword)).AssertStatus(HttpStatusCode.OK)));
    }

    public Task<ApiResponse> Send(HttpMethod method, string path, object? body = null) =>
        api.Send(method, path, body is null ? null : ApiClient.JsonContent(body), Session.Access);

    public async Task<string> CreateCourse(string? title = null, bool published = true) =>
        Id((await Send(HttpMethod.Post, "/api/admin/courses",
            new { title = title ?? $"Course {Guid.NewGuid():N}", description = "Made by a test.", published })).AssertStatus(HttpStatusCode.Created));

    public async Task<string> AddLesson(string courseId, int order, int durationMinutes = 10, bool freePreview = false, string? title = null) =>
        Id((await Send(HttpMethod.Post, $"/api/admin/courses/{courseId}/lessons",
            new { title = title ?? $"Lesson {order}", duration_minutes = durationMinutes, order, free_preview = freePreview }))
            .AssertStatus(HttpStatusCode.Created));

    /// <summary>A published course with one lesson: the lesson's id.</summary>
    public async Task<string> CreateLesson() => await AddLesson(await CreateCourse(), order: 1);

    public Task<ApiResponse> Upload(string lessonId, byte[] bytes, string contentType = "video/mp4") =>
        Upload(lessonId, new ByteArrayContent(bytes), contentType);

    public Task<ApiResponse> Upload(string lessonId, HttpContent content, string contentType)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return api.Send(HttpMethod.Put, $"/api/admin/lessons/{lessonId}/media", content, Session.Access);
    }

    private static string Id(ApiResponse response) => response.Json.GetProperty("id").GetString()!;
}
