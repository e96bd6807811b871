using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

/// <summary>Two active devices and one stream: the stream limit is what stops the second device.</summary>
[Collection(TwoDevicesCollection.Name)]
public sealed class StreamLimitApiTests(TwoDevicesApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task A_second_device_gets_409_session_exists_naming_the_device_that_plays()
    {
        var (session, lessons) = await SetUp();
        (await _api.StartVideo(session, lessons[0], "laptop")).AssertStatus(HttpStatusCode.Created);

        var conflict = (await _api.StartVideo(session, lessons[1], "phone")).AssertProblem(HttpStatusCode.Conflict, "session_exists");

        Assert.Equal("Device laptop", conflict.Json.GetProperty("active_device").GetString());
    }

    [Fact]
    public async Task Takeover_ends_the_other_devices_session_and_starts_the_new_one()
    {
        var (session, lessons) = await SetUp();
        var laptop = (await _api.StartVideo(session, lessons[0], "laptop")).Json;

        var phone = (await _api.StartVideo(session, lessons[1], "phone", takeover: true)).AssertStatus(HttpStatusCode.Created).Json;

        var gone = (await _api.Heartbeat(session, laptop.GetProperty("session_token").GetString()!, 1)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("taken_over", gone.Json.GetProperty("reason").GetString());
        (await _api.Get(laptop.GetProperty("video_url").GetString()!)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        (await _api.Heartbeat(session, phone.GetProperty("session_token").GetString()!, 1)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Takeover_false_behaves_like_no_takeover()
    {
        var (session, lessons) = await SetUp();
        await _api.StartVideo(session, lessons[0], "laptop");

        (await _api.StartVideo(session, lessons[1], "phone", takeover: false)).AssertProblem(HttpStatusCode.Conflict, "session_exists");
    }

    [Fact]
    public async Task A_crashed_client_blocks_nobody_once_its_session_is_stale()
    {
        var (session, lessons) = await SetUp();
        await _api.StartVideo(session, lessons[0], "laptop");

        factory.Clock.Advance(TimeSpan.FromSeconds(91));

        (await _api.StartVideo(session, lessons[1], "phone")).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Thirty_concurrent_starts_from_two_devices_leave_exactly_one_live_session()
    {
        var (session, lessons) = await SetUp();

        var starts = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => _api.StartVideo(session, lessons[i], i % 2 == 0 ? "laptop" : "phone")));

        Assert.Contains(starts, s => s.Status == HttpStatusCode.Created);
        Assert.All(starts.Where(s => s.Status != HttpStatusCode.Created), s => s.AssertProblem(HttpStatusCode.Conflict, "session_exists"));
        var created = starts.Where(s => s.Status == HttpStatusCode.Created).ToList();
        var beats = await Task.WhenAll(created.Select(s => _api.Heartbeat(session, s.Json.GetProperty("session_token").GetString()!, 1)));
        Assert.Single(beats, b => b.Status == HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refused_start_is_audited_with_the_device_that_tried_the_device_that_plays_and_the_lesson()
    {
        var (session, lessons) = await SetUp();
        var title = (await _api.Get($"/api/lessons/{lessons[1]}")).Json.GetProperty("title").GetString();
        (await _api.StartVideo(session, lessons[0], "laptop")).AssertStatus(HttpStatusCode.Created);

        (await _api.StartVideo(session, lessons[1], "phone")).AssertProblem(HttpStatusCode.Conflict, "session_exists");
        (await _api.StartVideo(session, lessons[1], "phone", takeover: true)).AssertStatus(HttpStatusCode.Created);

        var entries = (await _api.Get("/api/audit-logs", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
        // Newest first: the takeover (video_end of the laptop, session_takeover, video_start) is not a refusal, nor is the first start.
        Assert.Equal(["video_start", "session_takeover", "video_end", "video_start_refused", "video_start"],
            entries.Take(5).Select(e => e.GetProperty("action").GetString()));
        var refused = Assert.Single(entries, e => e.GetProperty("action").GetString() == "video_start_refused").GetProperty("metadata");
        Assert.Equal("phone", refused.GetProperty("device_id").GetString());
        Assert.Equal("Device phone", refused.GetProperty("device_name").GetString());
        Assert.Equal("Device laptop", refused.GetProperty("playing_device_name").GetString());
        Assert.Equal(lessons[1], refused.GetProperty("lesson_id").GetString());
        Assert.Equal(title, refused.GetProperty("lesson_title").GetString());
    }

    private async Task<(Session Session, IReadOnlyList<string> Lessons)> SetUp()
    {
        var session = await _api.SignUp();
        (await _api.RegisterDevice(session, "laptop")).AssertStatus(HttpStatusCode.Created);
        (await _api.RegisterDevice(session, "phone", "android")).AssertStatus(HttpStatusCode.Created);
        return (session, await _api.LessonIds());
    }
}
