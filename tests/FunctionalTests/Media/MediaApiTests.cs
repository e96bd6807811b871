using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Media;

[Collection(ApiCollection.Name)]
public sealed class MediaApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task In_development_a_lesson_without_a_file_gets_a_placeholder_video()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var url = VideoUrl(await _api.StartVideo(session, (await _api.LessonIds())[6], device));

        using var response = await _api.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("video/webm", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, bytes[..4]);
        Assert.DoesNotContain("file=", url);
    }

    [Theory]
    [InlineData("sig", "AAAA")]
    [InlineData("exp", "9999999999")]
    [InlineData("session", "00000000-0000-0000-0000-000000000001")]
    [InlineData("user", "00000000-0000-0000-0000-000000000001")]
    public async Task A_tampered_url_is_403(string parameter, string value)
    {
        var (session, device) = await _api.SignUpWithDevice();
        var url = VideoUrl(await _api.StartVideo(session, (await _api.LessonIds())[0], device));

        var tampered = System.Text.RegularExpressions.Regex.Replace(url, $"([?&]{parameter}=)[^&]*", $"${{1}}{value}");

        Assert.NotEqual(url, tampered);
        (await _api.Get(tampered)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_url_for_another_lesson_is_403()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var lessons = await _api.LessonIds();
        var url = VideoUrl(await _api.StartVideo(session, lessons[0], device));

        (await _api.Get(url.Replace(lessons[0], lessons[1]))).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_url_stops_working_when_its_session_expires()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var started = await _api.StartVideo(session, (await _api.LessonIds())[0], device);
        var url = VideoUrl(started);

        factory.Clock.Advance(TimeSpan.FromHours(2));

        (await _api.Get(url)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Ending_the_session_stops_the_stream_with_410()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var started = await _api.StartVideo(session, (await _api.LessonIds())[0], device);
        using (var before = await _api.Http.GetAsync(VideoUrl(started)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _api.EndVideo(session, started.Json.GetProperty("session_token").GetString()!, 0);

        var after = (await _api.Get(VideoUrl(started))).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("ended", after.Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body_and_checks_the_same()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var started = await _api.StartVideo(session, (await _api.LessonIds())[7], device);
        var url = VideoUrl(started);
        using var get = await _api.Http.GetAsync(url);

        using (var head = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);
            Assert.Equal("video/webm", head.Content.Headers.ContentType!.MediaType);
            Assert.Contains("bytes", head.Headers.AcceptRanges);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }

        using (var tampered = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url.Replace("sig=", "sig=A"))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        }

        await _api.EndVideo(session, started.Json.GetProperty("session_token").GetString()!, 0);
        using var ended = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.Gone, ended.StatusCode);
    }

    private static string VideoUrl(ApiResponse started) => started.AssertStatus(HttpStatusCode.Created).Json.GetProperty("video_url").GetString()!;
}
