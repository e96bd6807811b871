using System.Net;
using System.Text.Json;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Administration;

/// <summary>
/// The administration routes of issue 17 over HTTP: each command through the owner's grain, audited with the admin as
/// actor; listings' search runs against both read models in ReadModelFilterCases.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AdministrationApiTests(LearningApiFactory factory)
{
    private const string AdminEmail = "admin@example.com";
    private const string AdminPassword = "admin-demo-kettle-nebula";

    private readonly ApiClient _api = factory.CreateApiClient();

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/admin/users/00000000-0000-0000-0000-000000000001" },
        { "POST", "/api/admin/devices/deactivate" },
        { "POST", "/api/admin/devices/00000000-0000-0000-0000-000000000001/activate" },
        { "POST", "/api/admin/users/00000000-0000-0000-0000-000000000001/disable" },
        { "POST", "/api/admin/users/00000000-0000-0000-0000-000000000001/enable" },
        { "POST", "/api/admin/users/00000000-0000-0000-0000-000000000001/unlock" },
        { "POST", "/api/admin/sessions/00000000-0000-0000-0000-000000000001/end" },
        { "GET", "/api/admin/playback-conflicts" },
        { "GET", "/api/audit-logs/export" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Students_get_403_forbidden(string method, string path)
    {
        var student = await _api.SignUp();
        var body = method == "POST" ? ApiClient.JsonContent(new { ids = new[] { Guid.NewGuid() }, reason = "test" }) : null;

        (await _api.Send(new HttpMethod(method), path, body, student.Access)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await _api.Send(new HttpMethod(method), path, null)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task User_detail_shows_the_account_devices_live_sessions_and_access()
    {
        var (student, device) = await _api.SignUpWithDevice("web-detail");
        var lesson = (await _api.LessonIds())[0];
        (await _api.StartVideo(student, lesson, device)).AssertStatus(HttpStatusCode.Created);
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();
        var until = factory.Clock.GetUtcNow().AddDays(30);
        (await _api.Post($"/api/admin/users/{userId}/grants", new { until, reason = "support" }, admin.Access)).AssertStatus(HttpStatusCode.Created);

        var detail = (await _api.Get($"/api/admin/users/{userId}/", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal(userId, detail.GetProperty("id").GetString());
        Assert.Equal(student.Email, detail.GetProperty("email").GetString());
        Assert.Equal("student", detail.GetProperty("role").GetString());
        Assert.Equal(1, detail.GetProperty("active_devices").GetInt32());
        Assert.False(detail.GetProperty("email_verified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("locked_until").ValueKind);
        Assert.False(detail.GetProperty("disabled").GetBoolean());
        var deviceRow = Assert.Single(detail.GetProperty("devices").EnumerateArray());
        Assert.Equal(device, deviceRow.GetProperty("device_id").GetString());
        Assert.True(deviceRow.GetProperty("is_active").GetBoolean());
        var session = Assert.Single(detail.GetProperty("live_sessions").EnumerateArray());
        Assert.Equal(lesson, session.GetProperty("lesson_id").GetString());
        Assert.Equal(userId, session.GetProperty("user_id").GetString());
        Assert.Equal(student.Email, session.GetProperty("user_email").GetString());
        Assert.True(session.GetProperty("live").GetBoolean());
        Assert.DoesNotContain("token", detail.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", detail.ToString(), StringComparison.OrdinalIgnoreCase);
        var access = detail.GetProperty("access");
        Assert.Equal("none", access.GetProperty("status").GetString());
        Assert.True(access.GetProperty("access").GetProperty("has_access").GetBoolean());
        var grant = Assert.Single(detail.GetProperty("grants").EnumerateArray());
        Assert.Equal("support", grant.GetProperty("reason").GetString());
        Assert.Equal(await UserIdAsync(admin), grant.GetProperty("actor_id").GetString());

        (await _api.Get($"/api/admin/users/{Guid.NewGuid()}", admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
        (await _api.Get("/api/admin/users/not-a-uuid", admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
    }

    [Fact]
    public async Task Bulk_deactivation_answers_each_id_ends_sessions_and_audits_the_reason_on_each_owners_trail()
    {
        var (first, firstDevice) = await _api.SignUpWithDevice("web-bulk-1");
        var token = (await _api.StartVideo(first, (await _api.LessonIds())[0], firstDevice)).Json.GetProperty("session_token").GetString()!;
        var (second, _) = await _api.SignUpWithDevice("web-bulk-2");
        await _api.Transfer(second, "ios-bulk-2");
        var firstId = await DeviceIdAsync(first, "web-bulk-1");
        var inactiveId = await DeviceIdAsync(second, "web-bulk-2");
        var activeId = await DeviceIdAsync(second, "ios-bulk-2");
        var unknown = Guid.NewGuid().ToString();
        var admin = await AdminAsync();
        var adminId = await UserIdAsync(admin);

        var answer = (await _api.Post("/api/admin/devices/deactivate/",
            new { ids = new[] { firstId, inactiveId, unknown, activeId, firstId }, reason = "shared account" }, admin.Access))
            .AssertStatus(HttpStatusCode.OK).Json;

        var statuses = answer.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetString(), r.GetProperty("status").GetString())).ToList();
        Assert.Equal([(firstId, "deactivated"), (inactiveId, "already_inactive"), (unknown, "not_found"), (activeId, "deactivated")], statuses);
        Assert.All((await _api.Get("/api/devices", second.Access)).Json.EnumerateArray(), d => Assert.False(d.GetProperty("is_active").GetBoolean()));
        var beat = (await _api.Heartbeat(first, token, 1)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("device_revoked", beat.Json.GetProperty("reason").GetString());
        var entry = Assert.Single(await Rows(first, "/api/audit-logs?action=device_deactivate")).GetProperty("metadata");
        Assert.Equal("shared account", entry.GetProperty("reason").GetString());
        Assert.Equal(adminId, entry.GetProperty("actor_id").GetString());
        // Only the device that changed is on the second user's trail.
        Assert.Equal("ios-bulk-2", Assert.Single(await Rows(second, "/api/audit-logs?action=device_deactivate"))
            .GetProperty("metadata").GetProperty("device_id").GetString());

        var again = (await _api.Post("/api/admin/devices/deactivate", new { ids = new[] { firstId }, reason = "again" }, admin.Access))
            .AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("already_inactive", again.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Single(await Rows(first, "/api/audit-logs?action=device_deactivate"));
    }

    [Theory]
    [InlineData("""{"ids": [], "reason": "r"}""", "ids")]
    [InlineData("""{"ids": ["not-a-uuid"], "reason": "r"}""", "ids")]
    [InlineData("""{"ids": ["00000000-0000-0000-0000-000000000001"]}""", "reason")]
    [InlineData("""{"ids": ["00000000-0000-0000-0000-000000000001"], "reason": "  "}""", "reason")]
    [InlineData("""{"reason": "r"}""", "ids")]
    [InlineData("""{"ids": "00000000-0000-0000-0000-000000000001", "reason": "r"}""", "ids")]
    [InlineData("""{"ids": [1], "reason": "r"}""", "ids")]
    public async Task Bulk_deactivation_refuses_bad_bodies(string body, string field)
    {
        var admin = await AdminAsync();

        var problem = (await _api.Send(HttpMethod.Post, "/api/admin/devices/deactivate", ApiClient.JsonContent(body), admin.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        Assert.True(problem.Json.GetProperty("errors").TryGetProperty(field, out _), problem.Body);
    }

    [Fact]
    public async Task Bulk_deactivation_takes_at_most_100_ids_and_json_only()
    {
        var admin = await AdminAsync();
        var ids = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()).ToArray();

        (await _api.Post("/api/admin/devices/deactivate", new { ids, reason = "too many" }, admin.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await _api.Post("/api/admin/devices/deactivate", new { ids = ids[..100], reason = "just enough" }, admin.Access))
            .AssertStatus(HttpStatusCode.OK);
        (await _api.Send(HttpMethod.Post, "/api/admin/devices/deactivate", new StringContent("ids=1"), admin.Access))
            .AssertProblem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        (await _api.Send(HttpMethod.Post, "/api/admin/devices/deactivate", ApiClient.JsonContent("{\"ids\": ["), admin.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Activating_a_device_works_as_a_transfer_to_it_and_is_audited()
    {
        var (student, _) = await _api.SignUpWithDevice("web-activate");
        await _api.Transfer(student, "ios-activate");
        var token = (await _api.StartVideo(student, (await _api.LessonIds())[0], "ios-activate")).Json.GetProperty("session_token").GetString()!;
        var webId = await DeviceIdAsync(student, "web-activate");
        var admin = await AdminAsync();

        var answer = (await _api.Post($"/api/admin/devices/{webId}/activate", null, admin.Access)).AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal("web-activate", answer.GetProperty("device").GetProperty("device_id").GetString());
        Assert.True(answer.GetProperty("device").GetProperty("is_active").GetBoolean());
        var devices = (await _api.Get("/api/devices", student.Access)).Json.EnumerateArray()
            .ToDictionary(d => d.GetProperty("device_id").GetString()!, d => d.GetProperty("is_active").GetBoolean());
        Assert.True(devices["web-activate"]);
        Assert.False(devices["ios-activate"]);
        var beat = (await _api.Heartbeat(student, token, 1)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("device_transferred", beat.Json.GetProperty("reason").GetString());
        var entry = Assert.Single(await Rows(student, "/api/audit-logs?action=device_activate")).GetProperty("metadata");
        Assert.Equal(await UserIdAsync(admin), entry.GetProperty("actor_id").GetString());
        (await _api.Post($"/api/admin/devices/{Guid.NewGuid()}/activate", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "device_not_found");
        (await _api.Post("/api/admin/devices/nope/activate", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "device_not_found");
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_loses_every_session_and_is_let_back_in_when_enabled()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var token = (await _api.StartVideo(student, (await _api.LessonIds())[0], device)).Json.GetProperty("session_token").GetString()!;
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();
        var adminId = await UserIdAsync(admin);

        (await _api.Post($"/api/admin/users/{userId}/disable/", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        (await _api.Login(student.Email)).AssertProblem(HttpStatusCode.Forbidden, "account_disabled");
        (await _api.Login(student.Email, "not-the-password-at-all")).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        (await _api.Post("/api/auth/refresh", new { refresh = student.Refresh })).AssertProblem(HttpStatusCode.Forbidden, "account_disabled");
        (await _api.Get("/api/auth/me", student.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        var beat = (await _api.Heartbeat(student, token, 1)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("ended", beat.Json.GetProperty("reason").GetString());
        Assert.True((await _api.Get($"/api/admin/users/{userId}", admin.Access)).Json.GetProperty("disabled").GetBoolean());
        var disabled = Assert.Single(await Rows(admin, $"/api/audit-logs?action=user_disable&user_id={userId}")).GetProperty("metadata");
        Assert.Equal(adminId, disabled.GetProperty("actor_id").GetString());
        var ended = Assert.Single(await Rows(admin, $"/api/audit-logs?action=video_end&user_id={userId}")).GetProperty("metadata");
        Assert.Equal(adminId, ended.GetProperty("actor_id").GetString());

        (await _api.Post($"/api/admin/users/{userId}/enable", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        (await _api.Login(student.Email)).AssertStatus(HttpStatusCode.OK);
        var enabled = Assert.Single(await Rows(admin, $"/api/audit-logs?action=user_enable&user_id={userId}")).GetProperty("metadata");
        Assert.Equal(adminId, enabled.GetProperty("actor_id").GetString());
        (await _api.Post($"/api/admin/users/{Guid.NewGuid()}/disable", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
        (await _api.Post($"/api/admin/users/{Guid.NewGuid()}/enable", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
        (await _api.Post($"/api/admin/users/{adminId}/disable", null, admin.Access)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Unlocking_clears_a_lockout_and_is_audited()
    {
        var student = await _api.SignUp();
        var userId = await UserIdAsync(student);
        for (var i = 0; i < 5; i++)
        {
            await _api.Login(student.Email, "wrong-password-attempt");
        }

        (await _api.Login(student.Email)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");
        var admin = await AdminAsync();
        Assert.NotEqual(JsonValueKind.Null,
            (await _api.Get($"/api/admin/users/{userId}", admin.Access)).Json.GetProperty("locked_until").ValueKind);

        (await _api.Post($"/api/admin/users/{userId}/unlock", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        (await _api.Login(student.Email)).AssertStatus(HttpStatusCode.OK);
        var entry = Assert.Single(await Rows(admin, $"/api/audit-logs?action=account_unlock&user_id={userId}")).GetProperty("metadata");
        Assert.Equal(await UserIdAsync(admin), entry.GetProperty("actor_id").GetString());
        (await _api.Post($"/api/admin/users/{Guid.NewGuid()}/unlock", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
    }

    [Fact]
    public async Task Ending_one_session_stops_it_and_is_audited_as_the_admins_act()
    {
        var (student, device) = await _api.SignUpWithDevice();
        var token = (await _api.StartVideo(student, (await _api.LessonIds())[0], device)).Json.GetProperty("session_token").GetString()!;
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();
        var sessionId = Assert.Single(await Rows(admin, $"/api/admin/sessions?live=true&user_id={userId}")).GetProperty("id").GetString();

        (await _api.Post($"/api/admin/sessions/{sessionId}/end", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        var beat = (await _api.Heartbeat(student, token, 1)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("ended", beat.Json.GetProperty("reason").GetString());
        var entry = Assert.Single(await Rows(admin, $"/api/audit-logs?action=video_end&user_id={userId}")).GetProperty("metadata");
        Assert.Equal(await UserIdAsync(admin), entry.GetProperty("actor_id").GetString());
        Assert.Equal("ended", entry.GetProperty("reason").GetString());
        Assert.Empty(await Rows(admin, $"/api/admin/sessions?live=true&user_id={userId}"));
        (await _api.Post($"/api/admin/sessions/{sessionId}/end", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "session_not_found");
        (await _api.Post($"/api/admin/sessions/{Guid.NewGuid()}/end", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "session_not_found");
        (await _api.Post("/api/admin/sessions/x/end", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "session_not_found");
    }

    [Fact]
    public async Task The_audit_export_is_the_whole_filtered_log_as_csv_with_formulas_defused()
    {
        // A user agent is text the client chose: a spreadsheet must not run it.
        var client = factory.CreateApiClient();
        client.Http.DefaultRequestHeaders.UserAgent.Clear();
        client.Http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "=SUM(1,2)");
        var student = await client.SignUp();
        (await client.RegisterDevice(student, "web-csv", name: "Quote \" and, comma")).AssertStatus(HttpStatusCode.Created);
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();

        using var response = await Export(admin, $"user_id={userId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal("id,created_at,user_id,user_email,action,ip_address,user_agent,metadata", lines[0]);
        Assert.Equal("", lines[^1]);
        var rows = lines[1..^1];
        Assert.Equal(3, rows.Length);
        Assert.Contains(",device_register,", rows[0]);
        Assert.Contains(",login,", rows[1]);
        Assert.Contains(",user_register,", rows[2]);
        Assert.All(rows, r => Assert.Contains(userId, r));
        Assert.All(rows, r => Assert.Contains(",\"'=SUM(1,2)\",", r));
        // The metadata's JSON is quoted as a whole, its quotes doubled.
        Assert.Contains(",\"{\"\"device_id\"\":\"\"web-csv\"\",", rows[0]);

        using var filtered = await Export(admin, $"user_id={userId}&action=login");
        Assert.Equal(2, (await filtered.Content.ReadAsStringAsync()).Split("\r\n").Length - 1);
        (await _api.Get("/api/audit-logs/export?since=yesterday", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await _api.Get("/api/audit-logs/export?action=nonsense", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task The_audit_export_streams_more_than_one_batch()
    {
        var (student, device) = await _api.SignUpWithDevice("web-export-many");
        var lessons = await _api.LessonIds();
        for (var i = 0; i < 260; i++)
        {
            (await _api.StartVideo(student, lessons[i % lessons.Count], device)).AssertStatus(HttpStatusCode.Created);
        }

        var admin = await AdminAsync();
        using var response = await Export(admin, $"user_id={await UserIdAsync(student)}");

        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n")[1..^1];
        Assert.Equal(3 + 260 + 259, rows.Length);
        Assert.Equal(rows.Length, rows.Select(r => r.Split(',')[0]).Distinct().Count());
    }

    [Fact]
    public async Task Admin_listings_refuse_a_search_longer_than_any_email()
    {
        var admin = await AdminAsync();
        var q = new string('a', 321);

        foreach (var listing in new[] { "users", "devices", "sessions" })
        {
            (await _api.Get($"/api/admin/{listing}?q={q}", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        }

        (await _api.Get("/api/admin/playback-conflicts?since=soon", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await _api.Get("/api/admin/playback-conflicts?limit=0", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    private async Task<HttpResponseMessage> Export(Session session, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/audit-logs/export?{query}");
        request.Headers.Authorization = new("Bearer", session.Access);
        return await _api.Http.SendAsync(request);
    }

    private async Task<Session> AdminAsync() =>
        Session.From(AdminEmail, (await _api.Login(AdminEmail, AdminPassword)).AssertStatus(HttpStatusCode.OK));

    private async Task<string> UserIdAsync(Session session) =>
        (await _api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("id").GetString()!;

    private async Task<string> DeviceIdAsync(Session session, string deviceId) =>
        (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray()
            .Single(d => d.GetProperty("device_id").GetString() == deviceId).GetProperty("id").GetString()!;

    private async Task<List<JsonElement>> Rows(Session session, string path) =>
        (await _api.Get(path, session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
}
