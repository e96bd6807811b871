using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

[Collection(ApiCollection.Name)]
public sealed class DevicesApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Registering_a_device_answers_201_and_repeating_it_answers_200_with_the_same_device()
    {
        var session = await _api.SignUp();

        var created = (await _api.RegisterDevice(session, "web-abc", "web", "Laptop")).AssertStatus(HttpStatusCode.Created).Json;
        var repeated = (await _api.RegisterDevice(session, "web-abc", "web", "Laptop")).AssertStatus(HttpStatusCode.OK).Json;

        var device = created.GetProperty("device");
        Assert.False(string.IsNullOrEmpty(created.GetProperty("message").GetString()));
        Assert.Equal("web-abc", device.GetProperty("device_id").GetString());
        Assert.Equal("Laptop", device.GetProperty("device_name").GetString());
        Assert.Equal("web", device.GetProperty("platform").GetString());
        Assert.True(device.GetProperty("is_active").GetBoolean());
        Assert.EndsWith("Z", device.GetProperty("created_at").GetString());
        Assert.EndsWith("Z", device.GetProperty("last_accessed").GetString());
        Assert.Equal(device.GetProperty("id").GetString(), repeated.GetProperty("device").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_second_device_is_refused_with_the_active_one_and_nothing_is_stored()
    {
        var (session, _) = await _api.SignUpWithDevice("web-first");

        var refused = (await _api.RegisterDevice(session, "ios-second", "ios")).AssertProblem(HttpStatusCode.Conflict, "active_device_exists");

        var active = refused.Json.GetProperty("active_device");
        Assert.Equal("Device web-first", active.GetProperty("device_name").GetString());
        Assert.Equal("web", active.GetProperty("platform").GetString());
        var devices = (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray().ToList();
        Assert.Equal(active.GetProperty("id").GetString(), Assert.Single(devices).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("{\"device_id\": \" padded \", \"device_name\": \"x\", \"platform\": \"web\"}", "device_id")]
    [InlineData("{\"device_id\": \"ok\", \"device_name\": \"x\", \"platform\": \"windows\"}", "platform")]
    [InlineData("{\"device_id\": \"ok\", \"platform\": \"web\"}", "device_name")]
    [InlineData("{\"device_id\": 7, \"device_name\": \"x\", \"platform\": \"web\"}", "device_id")]
    public async Task Malformed_device_fields_are_400_naming_the_field(string body, string field)
    {
        var session = await _api.SignUp();
        var response = (await _api.Send(HttpMethod.Post, "/api/devices/register", ApiClient.JsonContent(body), session.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.Body);
    }

    [Fact]
    public async Task A_device_id_of_129_characters_is_refused()
    {
        var session = await _api.SignUp();
        (await _api.RegisterDevice(session, new string('a', 129), name: "Long")).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await _api.RegisterDevice(session, new string('a', 128), name: "Long")).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_device_id_with_spaces_as_the_mobile_apps_send_it_registers_starts_and_beats()
    {
        const string deviceId = "ios-iPhone 15 Pro-1733012345678";
        var session = await _api.SignUp();

        var device = (await _api.RegisterDevice(session, deviceId, "ios", "iPhone 15 Pro"))
            .AssertStatus(HttpStatusCode.Created).Json.GetProperty("device");
        var started = (await _api.StartVideo(session, (await _api.LessonIds())[0], deviceId))
            .AssertStatus(HttpStatusCode.Created).Json;

        Assert.Equal(deviceId, device.GetProperty("device_id").GetString());
        (await _api.Heartbeat(session, started.GetProperty("session_token").GetString()!, 1)).AssertStatus(HttpStatusCode.OK);
        var moved = (await _api.Transfer(session, "android-Pixel 8-1733012345679", "android")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("android-Pixel 8-1733012345679", moved.Json.GetProperty("device").GetProperty("device_id").GetString());
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("new\nline")]
    [InlineData("del\u007f")]
    [InlineData("caf\u00e9")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    public async Task Device_ids_that_are_not_printable_ascii_are_400_on_register_transfer_and_start(string deviceId)
    {
        var (session, _) = await _api.SignUpWithDevice("web-fine");
        var lessonId = (await _api.LessonIds())[0];

        var register = (await _api.RegisterDevice(session, deviceId)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        var transfer = (await _api.Transfer(session, deviceId)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        var start = (await _api.StartVideo(session, lessonId, deviceId)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        Assert.True(register.Json.GetProperty("errors").TryGetProperty("device_id", out _), register.Body);
        Assert.True(transfer.Json.GetProperty("errors").TryGetProperty("new_device_id", out _), transfer.Body);
        Assert.True(start.Json.GetProperty("errors").TryGetProperty("device_id", out _), start.Body);
    }

    [Fact]
    public async Task Transfer_activates_the_new_device_and_deactivates_the_old_one()
    {
        var (session, _) = await _api.SignUpWithDevice("web-old");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));

        var moved = (await _api.Transfer(session, "ios-new")).AssertStatus(HttpStatusCode.OK).Json.GetProperty("device");

        Assert.Equal("ios-new", moved.GetProperty("device_id").GetString());
        Assert.True(moved.GetProperty("is_active").GetBoolean());
        var devices = (await _api.Get("/api/devices/", session.Access)).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray().ToList();
        Assert.Equal(["ios-new", "web-old"], devices.Select(d => d.GetProperty("device_id").GetString()));
        Assert.Equal([true, false], devices.Select(d => d.GetProperty("is_active").GetBoolean()));
        (await _api.RegisterDevice(session, "web-old")).AssertProblem(HttpStatusCode.Conflict, "active_device_exists");
    }

    [Fact]
    public async Task Revoke_deletes_the_device_and_unknown_or_foreign_ids_are_404()
    {
        var (session, _) = await _api.SignUpWithDevice("web-gone");
        var (stranger, _) = await _api.SignUpWithDevice("web-stranger");
        var id = (await _api.Get("/api/devices", session.Access)).Json[0].GetProperty("id").GetString();
        var strangersId = (await _api.Get("/api/devices", stranger.Access)).Json[0].GetProperty("id").GetString();

        (await _api.Send(HttpMethod.Delete, $"/api/devices/{strangersId}/revoke", null, session.Access)).AssertProblem(HttpStatusCode.NotFound, "device_not_found");
        (await _api.Send(HttpMethod.Delete, $"/api/devices/{Guid.NewGuid()}/revoke/", null, session.Access)).AssertProblem(HttpStatusCode.NotFound, "device_not_found");
        (await _api.Send(HttpMethod.Delete, "/api/devices/not-a-uuid/revoke", null, session.Access)).AssertProblem(HttpStatusCode.NotFound, "device_not_found");
        var revoked = (await _api.Send(HttpMethod.Delete, $"/api/devices/{id}/revoke/", null, session.Access)).AssertStatus(HttpStatusCode.OK);

        Assert.False(string.IsNullOrEmpty(revoked.Json.GetProperty("message").GetString()));
        Assert.Empty((await _api.Get("/api/devices", session.Access)).Json.EnumerateArray());
        Assert.Single((await _api.Get("/api/devices", stranger.Access)).Json.EnumerateArray());
        (await _api.RegisterDevice(session, "ios-next", "ios")).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_user_keeps_at_most_ten_devices_dropping_the_least_recently_used_inactive_one()
    {
        var (session, _) = await _api.SignUpWithDevice("device-0");
        for (var i = 1; i <= 10; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            (await _api.Transfer(session, $"device-{i}")).AssertStatus(HttpStatusCode.OK);
        }

        var ids = (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray().Select(d => d.GetProperty("device_id").GetString()).ToList();

        Assert.Equal(10, ids.Count);
        Assert.DoesNotContain("device-0", ids);
        Assert.Equal("device-10", ids[0]);
    }

    [Fact]
    public async Task Forty_concurrent_registrations_of_forty_devices_leave_exactly_one_active_device()
    {
        var session = await _api.SignUp();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => _api.RegisterDevice(session, $"racer-{i}")));

        Assert.Single(responses, r => r.Status == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.Created), r => r.AssertProblem(HttpStatusCode.Conflict, "active_device_exists"));
        var devices = (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray().ToList();
        Assert.True(Assert.Single(devices).GetProperty("is_active").GetBoolean());
    }

    [Fact]
    public async Task Twenty_concurrent_transfers_leave_exactly_one_active_device()
    {
        var (session, _) = await _api.SignUpWithDevice("web-start");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _api.Transfer(session, $"mover-{i}")));

        Assert.All(responses, r => r.AssertStatus(HttpStatusCode.OK));
        var devices = (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray().ToList();
        Assert.Single(devices, d => d.GetProperty("is_active").GetBoolean());
        Assert.Equal(10, devices.Count);
    }

    [Fact]
    public async Task Device_routes_need_a_live_session()
    {
        var session = await _api.SignUp();
        (await _api.Get("/api/devices")).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");

        await _api.Post("/api/auth/logout", new { refresh = session.Refresh }, session.Access);

        (await _api.RegisterDevice(session, "web-after-logout")).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
    }
}
