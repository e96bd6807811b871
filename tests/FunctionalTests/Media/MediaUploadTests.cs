using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Learning.Api.Media;
using Learning.FunctionalTests.Catalog;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.FunctionalTests.Media;

[Collection(CatalogCollection.Name)]
public sealed class MediaUploadTests(CatalogApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task An_uploaded_mp4_plays_back_with_range_requests_and_sets_the_lessons_length()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var video = SampleMedia.Mp4(durationSeconds: 754.2, mediaBytes: 20_000);

        var stored = (await admin.Upload(lessonId, video)).AssertStatus(HttpStatusCode.Created).Json;

        Assert.Equal(lessonId, stored.GetProperty("lesson_id").GetString());
        Assert.Equal(video.Length, stored.GetProperty("bytes").GetInt64());
        Assert.Equal("video/mp4", stored.GetProperty("content_type").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(video)), stored.GetProperty("sha256").GetString());
        var lesson = (await _api.Get($"/api/lessons/{lessonId}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.True(lesson.GetProperty("has_media").GetBoolean());
        Assert.Equal(13, lesson.GetProperty("duration_minutes").GetInt32()); // 754.2 s, rounded up

        var (student, device) = await _api.SignUpWithDevice();
        var url = VideoUrl(await _api.StartVideo(student, lessonId, device));
        using var partial = await Range(url, 100, 199);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("video/mp4", partial.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new ContentRangeHeaderValue(100, 199, video.Length), partial.Content.Headers.ContentRange);
        Assert.Equal(video[100..200], await partial.Content.ReadAsByteArrayAsync());
        using var whole = await _api.Http.GetAsync(url);
        Assert.Equal(video, await whole.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_webm_upload_is_served_as_webm()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var video = SampleMedia.WebM(durationSeconds: 59.5);

        (await admin.Upload(lessonId, video, "video/webm")).AssertStatus(HttpStatusCode.Created);

        var (student, device) = await _api.SignUpWithDevice();
        using var response = await _api.Http.GetAsync(VideoUrl(await _api.StartVideo(student, lessonId, device)));
        Assert.Equal("video/webm", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(video, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, (await _api.Get($"/api/lessons/{lessonId}")).Json.GetProperty("duration_minutes").GetInt32());
    }

    [Fact]
    public async Task A_session_keeps_its_file_while_the_lesson_is_replaced_and_a_new_start_gets_the_new_one()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var old = SampleMedia.Mp4(120, mediaBytes: 200_000, seed: 1);
        var replacement = SampleMedia.Mp4(300, mediaBytes: 150_000, seed: 2);
        (await admin.Upload(lessonId, old)).AssertStatus(HttpStatusCode.Created);
        var (early, earlyDevice) = await _api.SignUpWithDevice();
        var oldUrl = VideoUrl(await _api.StartVideo(early, lessonId, earlyDevice));

        using var inFlight = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, oldUrl)
        {
            Headers = { Range = new RangeHeaderValue(1000, null) },
        }, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await inFlight.Content.ReadAsStreamAsync();
        var head = new byte[4096];
        await body.ReadExactlyAsync(head);
        (await admin.Upload(lessonId, replacement)).AssertStatus(HttpStatusCode.OK);
        var rest = new MemoryStream();
        await body.CopyToAsync(rest);

        Assert.Equal(old[1000..], head.Concat(rest.ToArray()).ToArray());
        using (var later = await Range(oldUrl, 0, 99))
        {
            Assert.Equal(old[..100], await later.Content.ReadAsByteArrayAsync());
        }

        var (late, lateDevice) = await _api.SignUpWithDevice();
        using var fresh = await _api.Http.GetAsync(VideoUrl(await _api.StartVideo(late, lessonId, lateDevice)));
        Assert.Equal(replacement, await fresh.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_replaced_file_is_removed_only_once_no_session_can_still_play_it()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        (await admin.Upload(lessonId, SampleMedia.Mp4(60, seed: 3))).AssertStatus(HttpStatusCode.Created);
        (await admin.Upload(lessonId, SampleMedia.Mp4(60, seed: 4))).AssertStatus(HttpStatusCode.OK);
        var janitor = factory.Services.GetRequiredService<MediaJanitor>();

        await janitor.SweepAsync();
        Assert.Equal(2, LessonFiles(lessonId).Count);

        factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        SetFilesWrittenAt(lessonId, factory.Clock.GetUtcNow() - TimeSpan.FromHours(2) - TimeSpan.FromSeconds(30));
        await janitor.SweepAsync();

        var kept = Assert.Single(LessonFiles(lessonId));
        var (student, device) = await _api.SignUpWithDevice();
        using var playing = await _api.Http.GetAsync(VideoUrl(await _api.StartVideo(student, lessonId, device)));
        Assert.Equal(SampleMedia.Mp4(60, seed: 4), await playing.Content.ReadAsByteArrayAsync());
        Assert.Contains(Path.GetFileName(kept), playing.RequestMessage!.RequestUri!.Query);
    }

    [Fact]
    public async Task Bytes_that_are_not_the_named_container_are_400_and_leave_no_file()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();

        (await admin.Upload(lessonId, SampleMedia.Text(5000))).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Upload(lessonId, SampleMedia.Mp4(60), "video/webm")).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Upload(lessonId, SampleMedia.WebM(60), "video/mp4")).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await admin.Upload(lessonId, [])).AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        Assert.Empty(LessonFiles(lessonId));
        Assert.DoesNotContain(factory.MediaFiles(), f => f.EndsWith(".upload", StringComparison.Ordinal));
        Assert.False((await _api.Get($"/api/lessons/{lessonId}")).Json.GetProperty("has_media").GetBoolean());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("application/json")]
    public async Task Other_content_types_are_415(string contentType)
    {
        var admin = await factory.AdminAsync(_api);

        (await admin.Upload(await admin.CreateLesson(), SampleMedia.Mp4(60), contentType))
            .AssertProblem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_413_whether_or_not_it_states_its_length_and_leaves_no_file()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var tooLarge = SampleMedia.Mp4(60, mediaBytes: (int)CatalogApiFactory.MaxUploadBytes);

        (await admin.Upload(lessonId, tooLarge)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        var chunked = new StreamContent(new UnknownLengthStream(tooLarge));
        (await admin.Upload(lessonId, chunked, "video/mp4")).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        Assert.DoesNotContain(factory.MediaFiles(), f => f.StartsWith(lessonId, StringComparison.Ordinal) || f.EndsWith(".upload", StringComparison.Ordinal));
        (await admin.Upload(lessonId, SampleMedia.Mp4(60, mediaBytes: (int)CatalogApiFactory.MaxUploadBytes - 1000))).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Uploading_to_an_unknown_lesson_is_404()
    {
        var admin = await factory.AdminAsync(_api);

        (await admin.Upload(Guid.NewGuid().ToString(), SampleMedia.Mp4(60))).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
        (await admin.Upload("not-a-lesson", SampleMedia.Mp4(60))).AssertProblem(HttpStatusCode.NotFound, "lesson_not_found");
    }

    [Fact]
    public async Task Starting_a_lesson_without_media_is_404_media_unavailable_when_placeholders_are_off()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        var (student, device) = await _api.SignUpWithDevice();

        (await _api.StartVideo(student, lessonId, device)).AssertProblem(HttpStatusCode.NotFound, "media_unavailable");
        (await _api.StartVideo(student, (await _api.LessonIds())[0], device)).AssertProblem(HttpStatusCode.NotFound, "media_unavailable");
        Assert.False((await _api.Get($"/api/lessons/{lessonId}")).Json.GetProperty("has_media").GetBoolean());
    }

    [Fact]
    public async Task Deleting_a_lesson_ends_its_sessions_and_removes_its_files()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        (await admin.Upload(lessonId, SampleMedia.Mp4(60))).AssertStatus(HttpStatusCode.Created);
        var (student, device) = await _api.SignUpWithDevice();
        var started = (await _api.StartVideo(student, lessonId, device)).AssertStatus(HttpStatusCode.Created);

        (await admin.Send(HttpMethod.Delete, $"/api/admin/lessons/{lessonId}")).AssertStatus(HttpStatusCode.NoContent);

        var beat = (await _api.Heartbeat(student, started.Json.GetProperty("session_token").GetString()!, 5))
            .AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("ended", beat.Json.GetProperty("reason").GetString());
        (await _api.Get(VideoUrl(started))).AssertStatus(HttpStatusCode.Gone);
        Assert.Empty(LessonFiles(lessonId));
    }

    [Fact]
    public async Task The_media_url_names_its_file_under_the_signature()
    {
        var admin = await factory.AdminAsync(_api);
        var lessonId = await admin.CreateLesson();
        (await admin.Upload(lessonId, SampleMedia.Mp4(60, seed: 5))).AssertStatus(HttpStatusCode.Created);
        var (student, device) = await _api.SignUpWithDevice();
        var url = VideoUrl(await _api.StartVideo(student, lessonId, device));
        (await admin.Upload(lessonId, SampleMedia.Mp4(60, seed: 6))).AssertStatus(HttpStatusCode.OK);
        var newer = Path.GetFileName(Assert.Single(LessonFiles(lessonId), f => !url.Contains(Path.GetFileName(f))));

        var swapped = System.Text.RegularExpressions.Regex.Replace(url, "([?&]file=)[^&]*", $"${{1}}{Uri.EscapeDataString($"{lessonId}/{newer}")}");

        Assert.NotEqual(url, swapped);
        (await _api.Get(swapped)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    private IReadOnlyList<string> LessonFiles(string lessonId)
    {
        var folder = Path.Combine(factory.MediaRoot, lessonId);
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    /// <summary>The sweep compares file times with the business clock, which the test moved ahead of the file system's.</summary>
    private void SetFilesWrittenAt(string lessonId, DateTimeOffset at)
    {
        foreach (var file in LessonFiles(lessonId))
        {
            File.SetLastWriteTimeUtc(file, at.UtcDateTime);
        }
    }

    private async Task<HttpResponseMessage> Range(string url, long from, long to) =>
        await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(from, to) } });

    private static string VideoUrl(ApiResponse started) =>
        started.AssertStatus(HttpStatusCode.Created).Json.GetProperty("video_url").GetString()!;

    /// <summary>A body sent without Content-Length (chunked), so only counting while streaming can stop it.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
