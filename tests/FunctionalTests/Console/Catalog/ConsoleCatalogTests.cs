using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Learning.FunctionalTests.Catalog;
using Learning.TestSupport;

namespace Learning.FunctionalTests.OperatorConsole.Catalog;

/// <summary>The catalog pages of the console as an operator without script uses them, checked through the REST routes.</summary>
[Collection(CatalogCollection.Name)]
public sealed class ConsoleCatalogTests(CatalogApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task An_operator_creates_a_course_that_starts_unpublished()
    {
        var console = await SignInAsync();
        var title = $"Console course {Guid.NewGuid():N}";

        var page = await console.Submit("/console/catalog", "new-course", ("title", title), ("description", "Made in the console."));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("/console/catalog/courses/", page.Path);
        Assert.Contains($"Course \"{title}\" created (unpublished).", page.Text);
        var course = await AdminCourse(page.Path);
        Assert.Equal(title, course.GetProperty("title").GetString());
        Assert.Equal("Made in the console.", course.GetProperty("description").GetString());
        Assert.False(course.GetProperty("published").GetBoolean());
        Assert.Contains(title, (await console.Get($"/console/catalog?q={Uri.EscapeDataString(title)}")).Text);
    }

    [Fact]
    public async Task A_course_without_a_title_is_refused_on_the_page()
    {
        var console = await SignInAsync();

        var page = await console.Submit("/console/catalog", "new-course", ("title", ""), ("description", "No title."));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/console/catalog?handler=Create", page.Path);
        Assert.Contains("title:", page.Text);
    }

    [Fact]
    public async Task An_operator_adds_a_lesson_and_a_taken_order_is_shown_as_a_message()
    {
        var console = await SignInAsync();
        var coursePath = await NewCoursePathAsync(console);

        var added = await console.Submit(coursePath, "new-lesson", ("title", "Welcome"), ("durationMinutes", "7"), ("order", "1"), ("freePreview", "true"));
        var clash = await console.Submit(coursePath, "new-lesson", ("title", "Second"), ("durationMinutes", "5"), ("order", "1"));

        Assert.StartsWith("/console/catalog/lessons/", added.Path);
        Assert.Contains("Lesson \"Welcome\" added.", added.Text);
        Assert.Equal(HttpStatusCode.OK, clash.Status);
        Assert.Contains("Another lesson of this course has order 1.", clash.Text);
        var lessons = (await AdminCourse(coursePath)).GetProperty("lessons").EnumerateArray().ToList();
        var lesson = Assert.Single(lessons);
        Assert.Equal("Welcome", lesson.GetProperty("title").GetString());
        Assert.Equal(7, lesson.GetProperty("duration_minutes").GetInt32());
        Assert.True(lesson.GetProperty("free_preview").GetBoolean());
    }

    [Fact]
    public async Task Moving_a_lesson_down_renumbers_the_course()
    {
        var console = await SignInAsync();
        var admin = await factory.AdminAsync(_api);
        var courseId = await admin.CreateCourse(published: false);
        var first = await admin.AddLesson(courseId, 1, title: "First");
        var second = await admin.AddLesson(courseId, 2, title: "Second");
        var third = await admin.AddLesson(courseId, 3, title: "Third");

        var page = await console.Submit($"/console/catalog/courses/{courseId}", "move-" + first, ("lesson", first), ("by", "1"));

        Assert.Contains("Lessons reordered.", page.Text);
        var lessons = (await AdminCourse($"/console/catalog/courses/{courseId}")).GetProperty("lessons").EnumerateArray()
            .Select(l => (l.GetProperty("id").GetString(), l.GetProperty("order").GetInt32()));
        Assert.Equal([(second, 1), (first, 2), (third, 3)], lessons);
    }

    [Fact]
    public async Task Publishing_shows_the_course_to_learners_and_unpublishing_hides_it()
    {
        var console = await SignInAsync();
        var coursePath = await NewCoursePathAsync(console);
        var publicPath = "/api/courses/" + coursePath.Split('/')[^1];
        (await _api.Get(publicPath)).AssertStatus(HttpStatusCode.NotFound);

        var published = await console.Submit(coursePath, "publish-course", ("published", "true"));

        Assert.Contains("Course published", published.Text);
        (await _api.Get(publicPath)).AssertStatus(HttpStatusCode.OK);
        var unpublished = await console.Submit(coursePath, "publish-course", ("published", "false"));
        Assert.Contains("Course unpublished", unpublished.Text);
        (await _api.Get(publicPath)).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_upload_script_streams_a_webm_and_the_lesson_plays_it()
    {
        var console = await SignInAsync();
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var video = await File.ReadAllBytesAsync(SmallVideo.Path);
        var form = (await console.Get($"/console/catalog/lessons/{lessonId}")).Form("upload-form");

        // What catalog-upload.js sends: the file as the body, the antiforgery token in a header, JSON asked for.
        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new ByteArrayContent(video) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
        request.Headers.Add("RequestVerificationToken", form.Token.Value);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await console.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Video uploaded: video/webm, 25,099 bytes, 3 s.", await response.Content.ReadAsStringAsync());
        var lesson = (await _api.Get($"/api/lessons/{lessonId}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.True(lesson.GetProperty("has_media").GetBoolean());
        Assert.Equal(1, lesson.GetProperty("duration_minutes").GetInt32()); // 3 s, rounded up
        var (student, device) = await _api.SignUpWithDevice();
        var url = (await _api.StartVideo(student, lessonId, device)).AssertStatus(HttpStatusCode.Created).Json.GetProperty("video_url").GetString()!;
        using var served = await _api.Http.GetAsync(url);
        Assert.Equal(SHA256.HashData(video), SHA256.HashData(await served.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Without_script_the_form_uploads_as_multipart_and_returns_to_the_lesson()
    {
        var console = await SignInAsync();
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var form = (await console.Get($"/console/catalog/lessons/{lessonId}")).Form("upload-form");

        var page = await console.Post(form.Action, Multipart(form, await File.ReadAllBytesAsync(SmallVideo.Path), "lesson.webm", "video/webm"));

        Assert.Equal($"/console/catalog/lessons/{lessonId}", page.Path);
        Assert.Contains("Video uploaded: video/webm, 25,099 bytes, 3 s.", page.Text);
        Assert.Contains("Video: video/webm, 25,099 bytes, 3 s, uploaded", page.Text);
    }

    [Fact]
    public async Task A_file_that_is_not_a_video_is_refused_with_a_message()
    {
        var console = await SignInAsync();
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var form = (await console.Get($"/console/catalog/lessons/{lessonId}")).Form("upload-form");

        var wrongType = await console.Post(form.Action, Multipart(form, "not a video"u8.ToArray(), "notes.txt", "text/plain"));
        var wrongBytes = await console.Post(form.Action, Multipart(form, "not a video"u8.ToArray(), "fake.webm", "video/webm"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.Status);
        Assert.Contains("Send the file as video/mp4 or video/webm.", wrongType.Text);
        Assert.Equal(HttpStatusCode.BadRequest, wrongBytes.Status);
        Assert.Contains("The bytes are not a WebM file (EBML header)", wrongBytes.Text);
        Assert.False((await _api.Get($"/api/lessons/{lessonId}")).Json.GetProperty("has_media").GetBoolean());
    }

    [Fact]
    public async Task Posts_without_the_antiforgery_token_are_refused()
    {
        var console = await SignInAsync();
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var title = $"Forged {Guid.NewGuid():N}";

        using var forged = await console.Http.PostAsync("/console/catalog?handler=Create",
            new FormUrlEncodedContent([KeyValuePair.Create("title", title)]));
        using var upload = new ByteArrayContent(await File.ReadAllBytesAsync(SmallVideo.Path));
        upload.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
        using var forgedUpload = await console.Http.PostAsync($"/console/catalog/lessons/{lessonId}/media", upload);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedUpload.StatusCode);
        Assert.DoesNotContain(title, (await console.Get($"/console/catalog?q={Uri.EscapeDataString(title)}")).Text);
        Assert.False((await _api.Get($"/api/lessons/{lessonId}")).Json.GetProperty("has_media").GetBoolean());
    }

    private async Task<ConsolePageClient> SignInAsync() => new((await ConsoleBrowser.SignedInAdminAsync(factory)).Browser.Http);

    private static async Task<string> NewCoursePathAsync(ConsolePageClient console) =>
        (await console.Submit("/console/catalog", "new-course", ("title", $"Course {Guid.NewGuid():N}"), ("description", ""))).Path;

    /// <summary>The course behind a console course page, as <c>GET /api/admin/courses/{id}</c> answers it.</summary>
    private async Task<System.Text.Json.JsonElement> AdminCourse(string coursePath)
    {
        var admin = await factory.AdminAsync(_api);
        return (await admin.Send(HttpMethod.Get, "/api/admin/courses/" + coursePath.Split('/')[^1])).AssertStatus(HttpStatusCode.OK).Json;
    }

    private static MultipartFormDataContent Multipart(ConsolePageClient.Form form, byte[] file, string fileName, string contentType)
    {
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent
        {
            { new StringContent(form.Token.Value), form.Token.Key },
            { part, "file", fileName },
        };
    }
}

/// <summary>The small real video the browser tests play (VP8 WebM, 160×120, 3 s, 25,099 bytes; see docs/console-catalog.md).</summary>
public static class SmallVideo
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, "tests", "BrowserTests", "Media", "catalog-lesson.webm");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/BrowserTests/Media/catalog-lesson.webm not found above " + AppContext.BaseDirectory);
    }
}
