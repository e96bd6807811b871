using System.Net;
using System.Net.Http.Headers;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Catalog;

[Collection(CatalogCollection.Name)]
public sealed class CatalogCachingTests(CatalogApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Theory]
    [InlineData("/api/courses")]
    [InlineData("/api/courses/{course}")]
    [InlineData("/api/lessons/{lesson}")]
    public async Task Public_reads_carry_an_etag_and_answer_304_until_the_catalog_changes(string route)
    {
        var admin = await factory.AdminAsync(_api);
        var courseId = await admin.CreateCourse();
        var lessonId = await admin.AddLesson(courseId, order: 1);
        var path = route.Replace("{course}", courseId).Replace("{lesson}", lessonId);

        using var first = await _api.Http.GetAsync(path);
        var etag = first.Headers.ETag;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.True(first.Headers.CacheControl is { Public: true, MaxAge: not null });
        Assert.Contains("Authorization", first.Headers.Vary);

        using var again = await Conditional(path, etag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());

        (await admin.Send(HttpMethod.Patch, $"/api/admin/lessons/{lessonId}", new { title = "Changed" })).AssertStatus(HttpStatusCode.OK);

        using var changed = await Conditional(path, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task An_admins_view_has_its_own_etag_and_is_private()
    {
        var admin = await factory.AdminAsync(_api);
        await admin.CreateCourse(published: false);
        using var anonymous = await _api.Http.GetAsync("/api/courses");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/courses");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.Session.Access);
        request.Headers.IfNoneMatch.Add(anonymous.Headers.ETag!);
        using var asAdmin = await _api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.NotEqual(anonymous.Headers.ETag, asAdmin.Headers.ETag);
        Assert.True(asAdmin.Headers.CacheControl is { Private: true });
        var student = await _api.SignUp();
        Assert.Equal((await _api.Get("/api/courses")).Body, (await _api.Get("/api/courses", student.Access)).Body);
        Assert.True((await _api.Get("/api/courses", admin.Session.Access)).Json.GetArrayLength() > (await _api.Get("/api/courses")).Json.GetArrayLength());
    }

    private Task<HttpResponseMessage> Conditional(string path, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(etag);
        return _api.Http.SendAsync(request);
    }
}
