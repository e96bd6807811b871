using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Progress;

/// <summary>Two devices taking a lesson over from each other: the seconds both played count once.</summary>
[Collection(TwoDevicesCollection.Name)]
public sealed class ProgressTakeoverTests(TwoDevicesApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Two_devices_taking_over_from_each_other_do_not_double_count()
    {
        var session = await _api.SignUp();
        (await _api.RegisterDevice(session, "laptop")).AssertStatus(HttpStatusCode.Created);
        (await _api.RegisterDevice(session, "phone", "android")).AssertStatus(HttpStatusCode.Created);
        var lessonId = (await _api.LessonIds())[5];

        // The laptop plays 0–150.
        var laptop = Token(await _api.StartVideo(session, lessonId, "laptop"));
        await Play(session, laptop, from: 0, beats: 10);

        // The phone takes over: it is told to resume at 150, but its player starts at 60 and plays 60–210.
        var phoneStart = (await _api.StartVideo(session, lessonId, "phone", takeover: true)).AssertStatus(HttpStatusCode.Created).Json;
        Assert.Equal(150, phoneStart.GetProperty("resume_at").GetInt32());
        var phone = phoneStart.GetProperty("session_token").GetString()!;
        await Play(session, phone, from: 60, beats: 10);
        // The laptop's late beat is refused and credits nothing.
        (await _api.Heartbeat(session, laptop, 165)).AssertProblem(HttpStatusCode.Gone, "session_expired");

        // The laptop takes back over at the phone's position and plays 210–240, then ends.
        var laptopAgain = (await _api.StartVideo(session, lessonId, "laptop", takeover: true)).AssertStatus(HttpStatusCode.Created).Json;
        Assert.Equal(210, laptopAgain.GetProperty("resume_at").GetInt32());
        var again = laptopAgain.GetProperty("session_token").GetString()!;
        await Play(session, again, from: 210, beats: 2);
        (await _api.EndVideo(session, again, 240)).AssertStatus(HttpStatusCode.OK);

        var row = Assert.Single((await _api.Get("/api/progress", session.Access)).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray());
        Assert.Equal(240, row.GetProperty("watched_seconds").GetInt32());
        Assert.Equal(240, row.GetProperty("position_seconds").GetInt32());
    }

    private async Task Play(Session session, string token, int from, int beats)
    {
        var position = from;
        (await _api.Heartbeat(session, token, position)).AssertStatus(HttpStatusCode.OK);
        for (var i = 0; i < beats; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(15));
            position += 15;
            (await _api.Heartbeat(session, token, position)).AssertStatus(HttpStatusCode.OK);
        }
    }

    private static string Token(ApiResponse started) =>
        started.AssertStatus(HttpStatusCode.Created).Json.GetProperty("session_token").GetString()!;
}
