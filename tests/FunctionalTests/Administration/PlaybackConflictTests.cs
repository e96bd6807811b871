using System.Net;
using System.Text.Json;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Administration;

/// <summary>Refused starts as operators list them: two active devices and one stream, so the second device conflicts.</summary>
[Collection(TwoDevicesCollection.Name)]
public sealed class PlaybackConflictTests(TwoDevicesApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient(ClientAddress);

    private const string ClientAddress = "198.51.100.23";

    [Fact]
    public async Task Refused_starts_are_listed_newest_first_with_both_devices_and_page_with_cursors()
    {
        var session = await _api.SignUp();
        (await _api.RegisterDevice(session, "laptop", name: "Kitchen laptop")).AssertStatus(HttpStatusCode.Created);
        (await _api.RegisterDevice(session, "phone", name: "Pocket phone")).AssertStatus(HttpStatusCode.Created);
        var lessons = await _api.LessonIds();
        (await _api.StartVideo(session, lessons[0], "laptop")).AssertStatus(HttpStatusCode.Created);
        (await _api.StartVideo(session, lessons[1], "phone")).AssertProblem(HttpStatusCode.Conflict, "session_exists");
        factory.Clock.Advance(TimeSpan.FromSeconds(5));
        var between = factory.Clock.GetUtcNow();
        (await _api.StartVideo(session, lessons[0], "phone")).AssertProblem(HttpStatusCode.Conflict, "session_exists");
        var userId = (await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString();
        var admin = Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));

        var first = (await _api.Get($"/api/admin/playback-conflicts/?user_id={userId}&limit=1", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = (await _api.Get($"/api/admin/playback-conflicts?user_id={userId}&limit=1&cursor={cursor}", admin.Access))
            .AssertStatus(HttpStatusCode.OK).Json;

        var newest = Assert.Single(first.GetProperty("results").EnumerateArray());
        Assert.Equal(userId, newest.GetProperty("user_id").GetString());
        Assert.Equal(session.Email, newest.GetProperty("user_email").GetString());
        Assert.Equal("phone", newest.GetProperty("device_id").GetString());
        Assert.Equal("Pocket phone", newest.GetProperty("device_name").GetString());
        Assert.Equal("Kitchen laptop", newest.GetProperty("playing_device_name").GetString());
        Assert.Equal(lessons[0], newest.GetProperty("lesson_id").GetString());
        Assert.Equal(ClientAddress, newest.GetProperty("ip_address").GetString());
        Assert.True(newest.TryGetProperty("created_at", out _));
        Assert.False(newest.TryGetProperty("metadata", out _));
        var older = Assert.Single(second.GetProperty("results").EnumerateArray());
        Assert.Equal(lessons[1], older.GetProperty("lesson_id").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        var since = (await _api.Get(
            $"/api/admin/playback-conflicts?user_id={userId}&since={Uri.EscapeDataString(between.ToString("O"))}", admin.Access)).Json;
        Assert.Equal(newest.GetProperty("id").GetString(), Assert.Single(since.GetProperty("results").EnumerateArray()).GetProperty("id").GetString());
        (await _api.Get("/api/admin/playback-conflicts?user_id=someone", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }
}
