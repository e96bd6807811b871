using System.Net;
using System.Text.Json;

namespace Learning.TestSupport;

/// <summary>
/// The audit log's and the admin listings' filters and cursor paging, through the API. The read model answers these
/// (in memory in the functional tests, PostgreSQL tables in production), so one set of cases runs against each: a test
/// class per read model derives from this one and supplies its factory. Both are held to the same expectations.
/// </summary>
public abstract class ReadModelFilterCases(LearningApiFactory factory)
{
    /// <summary>Two client addresses of the documentation ranges, one IPv4 and one IPv6, as the audit records them.</summary>
    private const string HomeAddress = "198.51.100.7";
    private const string CafeAddress = "2001:db8::7";

    protected LearningApiFactory Factory { get; } = factory;

    private ApiClient Api { get; } = factory.CreateApiClient();

    // ---- Audit log ----

    [Fact]
    public async Task Audit_action_filter_and_cursor_paging_walk_every_entry_once()
    {
        var session = await Api.SignUp();
        for (var i = 0; i < 7; i++)
        {
            Factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await Api.Login(session.Email);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await Api.Get($"/api/audit-logs/?action=login&limit=3{(cursor is null ? "" : $"&cursor={cursor}")}", session.Access))
                .AssertStatus(HttpStatusCode.OK).Json;
            var results = page.GetProperty("results").EnumerateArray().ToList();
            Assert.InRange(results.Count, 1, 3);
            Assert.All(results, r => Assert.Equal("login", r.GetProperty("action").GetString()));
            seen.AddRange(results.Select(r => r.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(8, seen.Count);
        Assert.Equal(8, seen.Distinct().Count());
    }

    [Fact]
    public async Task Audit_since_and_until_bound_the_entries_by_time()
    {
        var session = await Api.SignUp();
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var middle = Factory.Clock.GetUtcNow();
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await Api.Login(session.Email);

        var since = await Entries(session, $"since={Uri.EscapeDataString(middle.ToString("O"))}");
        var until = await Entries(session, $"until={Uri.EscapeDataString(middle.ToString("O"))}");
        var between = await Entries(session,
            $"since={Uri.EscapeDataString(middle.AddSeconds(-1).ToString("O"))}&until={Uri.EscapeDataString(middle.AddSeconds(1).ToString("O"))}");

        Assert.Equal(["login"], Actions(since));
        Assert.Equal(["login", "user_register"], Actions(until));
        Assert.Empty(between);
    }

    [Fact]
    public async Task Audit_a_learner_sees_only_their_own_entries_and_an_admin_sees_anyones()
    {
        var session = await Api.SignUp();
        var stranger = await Api.SignUp();
        var strangerId = await UserIdAsync(stranger);
        var admin = await AdminAsync();

        var own = await Entries(session, "");
        Assert.Equal(["login", "user_register"], Actions(own));
        Assert.All(own, e => Assert.Equal(session.Email, e.GetProperty("user_email").GetString()));
        Assert.Empty(await Entries(session, $"user_id={strangerId}"));
        var seenByAdmin = await Entries(admin, $"user_id={strangerId}");
        Assert.Equal(["login", "user_register"], Actions(seenByAdmin));
        Assert.All(seenByAdmin, e => Assert.Equal(strangerId, e.GetProperty("user_id").GetString()));
        Assert.Equal(["login"], Actions(await Entries(admin, $"user_id={strangerId}&action=login")));
    }

    [Fact]
    public async Task Audit_ip_address_filter_returns_the_entries_made_from_that_address()
    {
        var home = Factory.CreateApiClient(HomeAddress);
        var cafe = Factory.CreateApiClient(CafeAddress);
        var session = await home.SignUp();
        var elsewhere = Session.From(session.Email, (await cafe.Login(session.Email)).AssertStatus(HttpStatusCode.OK));
        (await cafe.RegisterDevice(elsewhere, "cafe-tablet")).AssertStatus(HttpStatusCode.Created);
        var userId = await UserIdAsync(session);
        var admin = await AdminAsync();

        var fromHome = await Entries(session, $"ip_address={Uri.EscapeDataString(HomeAddress)}");
        var fromCafe = await Entries(session, $"ip_address={Uri.EscapeDataString(CafeAddress)}");

        Assert.Equal(["login", "user_register"], Actions(fromHome));
        Assert.All(fromHome, e => Assert.Equal(HomeAddress, e.GetProperty("ip_address").GetString()));
        Assert.Equal(["device_register", "login"], Actions(fromCafe));
        Assert.All(fromCafe, e => Assert.Equal(CafeAddress, e.GetProperty("ip_address").GetString()));
        Assert.Equal(["login"], Actions(await Entries(session, $"ip_address={Uri.EscapeDataString(CafeAddress)}&action=login")));
        Assert.Empty(await Entries(session, "ip_address=203.0.113.99"));
        Assert.Equal(["device_register", "login"],
            Actions(await Entries(admin, $"ip_address={Uri.EscapeDataString(CafeAddress)}&user_id={userId}")));
    }

    [Fact]
    public async Task Audit_a_limit_above_200_is_taken_as_200_and_the_cursor_leads_to_the_rest()
    {
        // Restarting playback on the one device ends the running session: a video_end and a video_start per request,
        // with no password hashing, so the 200 are cheap.
        const int starts = 105;
        var (session, device) = await Api.SignUpWithDevice("web-many");
        var lessons = await Api.LessonIds();
        for (var i = 0; i < starts; i++)
        {
            (await Api.StartVideo(session, lessons[i % lessons.Count], device)).AssertStatus(HttpStatusCode.Created);
        }

        const int total = 3 + starts + (starts - 1);
        var first = (await Api.Get("/api/audit-logs?limit=5000", session.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var firstIds = Ids(first);
        var cursor = first.GetProperty("next_cursor").GetString();
        Assert.Equal(200, firstIds.Count);
        Assert.NotNull(cursor);
        var rest = (await Api.Get($"/api/audit-logs?limit=5000&cursor={cursor}", session.Access)).AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal(total - 200, Ids(rest).Count);
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_cursor").ValueKind);
        Assert.Equal(total, firstIds.Concat(Ids(rest)).Distinct().Count());
        Assert.Equal(["device_register", "login", "user_register"], Actions(rest.GetProperty("results").EnumerateArray().TakeLast(3)));
        Assert.Equal(starts, (await AllEntries(session, "action=video_start")).Count);
        Assert.Equal(starts - 1, (await AllEntries(session, "action=video_end")).Count);
    }

    // ---- Admin listings ----

    [Fact]
    public async Task Admin_users_are_filtered_by_email_and_listed_with_their_active_devices_and_live_sessions()
    {
        var (student, device) = await Api.SignUpWithDevice();
        await Api.StartVideo(student, (await Api.LessonIds())[0], device);
        var admin = await AdminAsync();

        var users = (await Api.Get($"/api/admin/users?email={Uri.EscapeDataString(student.Email.ToUpperInvariant())}", admin.Access))
            .AssertStatus(HttpStatusCode.OK).Json;
        // Part of the address finds the user too, whatever the case.
        var byPart = await Rows(admin, $"/api/admin/users?email={Uri.EscapeDataString(student.Email[5..17].ToUpperInvariant())}");

        var row = Assert.Single(users.GetProperty("results").EnumerateArray());
        Assert.Equal(student.Email, row.GetProperty("email").GetString());
        Assert.Equal("student", row.GetProperty("role").GetString());
        Assert.Equal(1, row.GetProperty("active_devices").GetInt32());
        Assert.Equal(1, row.GetProperty("live_sessions").GetInt32());
        Assert.Equal(JsonValueKind.Null, users.GetProperty("next_cursor").ValueKind);
        Assert.Equal(student.Email, Assert.Single(byPart).GetProperty("email").GetString());
        Assert.Empty(await Rows(admin, $"/api/admin/users?email=nobody-{Guid.NewGuid():N}"));
    }

    [Fact]
    public async Task Admin_devices_are_filtered_by_user_platform_and_activity()
    {
        var (student, _) = await Api.SignUpWithDevice("web-admin-view");
        await Api.Transfer(student, "ios-admin-view");
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();

        var all = await Rows(admin, $"/api/admin/devices?user_id={userId}");
        var inactiveWeb = await Rows(admin, $"/api/admin/devices?user_id={userId}&platform=web&is_active=false");
        var activeIos = await Rows(admin, $"/api/admin/devices?user_id={userId}&platform=ios&is_active=true");

        Assert.Equal(2, all.Count);
        var row = Assert.Single(inactiveWeb);
        Assert.Equal("web-admin-view", row.GetProperty("device_id").GetString());
        Assert.Equal(student.Email, row.GetProperty("user_email").GetString());
        Assert.Equal(userId, row.GetProperty("user_id").GetString());
        Assert.Equal("ios-admin-view", Assert.Single(activeIos).GetProperty("device_id").GetString());
        Assert.Empty(await Rows(admin, $"/api/admin/devices?user_id={userId}&platform=android"));
        (await Api.Get("/api/admin/devices?platform=windows&is_active=maybe", admin.Access)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task Admin_sessions_are_filtered_by_user_and_liveness_with_watch_time()
    {
        var (student, device) = await Api.SignUpWithDevice();
        var lessons = await Api.LessonIds();
        var first = (await Api.StartVideo(student, lessons[0], device)).Json.GetProperty("session_token").GetString()!;
        Factory.Clock.Advance(TimeSpan.FromSeconds(15));
        await Api.EndVideo(student, first, 15);
        await Api.StartVideo(student, lessons[1], device);
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();

        var all = await Rows(admin, $"/api/admin/sessions?user_id={userId}");
        var live = await Rows(admin, $"/api/admin/sessions?live=true&user_id={userId}");
        var ended = await Rows(admin, $"/api/admin/sessions?live=false&user_id={userId}");

        Assert.Equal(2, all.Count);
        Assert.All(all, s => Assert.Equal(userId, s.GetProperty("user_id").GetString()));
        var over = Assert.Single(ended);
        Assert.False(over.GetProperty("live").GetBoolean());
        Assert.Equal("ended", over.GetProperty("end_reason").GetString());
        Assert.Equal(15, over.GetProperty("watch_time_seconds").GetDouble());
        Assert.Equal(lessons[0], over.GetProperty("lesson_id").GetString());
        Assert.Equal(lessons[1], Assert.Single(live).GetProperty("lesson_id").GetString());
        Assert.Equal(device, live[0].GetProperty("device_id").GetString());
    }

    [Fact]
    public async Task Admin_listings_page_with_cursors()
    {
        var admin = await AdminAsync();
        for (var i = 0; i < 3; i++)
        {
            await Api.SignUp();
        }

        var first = (await Api.Get("/api/admin/users?limit=2", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var cursor = first.GetProperty("next_cursor").GetString();
        Assert.NotNull(cursor);
        var second = (await Api.Get($"/api/admin/users?limit=2&cursor={cursor}", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;

        var ids = first.GetProperty("results").EnumerateArray().Concat(second.GetProperty("results").EnumerateArray())
            .Select(u => u.GetProperty("id").GetString()).ToList();
        Assert.Equal(4, ids.Count);
        Assert.Equal(4, ids.Distinct().Count());

        // Filtered listings page the same way: a user's two devices, one a page.
        var (student, _) = await Api.SignUpWithDevice("web-paged");
        await Api.Transfer(student, "ios-paged");
        var userId = await UserIdAsync(student);
        var devicePage = (await Api.Get($"/api/admin/devices?user_id={userId}&limit=1", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var deviceCursor = devicePage.GetProperty("next_cursor").GetString();
        Assert.NotNull(deviceCursor);
        var lastPage = (await Api.Get($"/api/admin/devices?user_id={userId}&limit=1&cursor={deviceCursor}", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(JsonValueKind.Null, lastPage.GetProperty("next_cursor").ValueKind);
        Assert.Equal(["ios-paged", "web-paged"],
            devicePage.GetProperty("results").EnumerateArray().Concat(lastPage.GetProperty("results").EnumerateArray())
                .Select(d => d.GetProperty("device_id").GetString()).Order());
    }

    [Fact]
    public async Task Admin_listings_search_by_a_prefix_of_the_email_or_name_whatever_the_case()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var email = $"zq{tag}@example.com";
        (await Api.Register(email, ApiClient.Password, $"Prefixname{tag} Smith")).AssertStatus(HttpStatusCode.Created);
        var session = Session.From(email, (await Api.Login(email)).AssertStatus(HttpStatusCode.OK));
        (await Api.RegisterDevice(session, "web-search")).AssertStatus(HttpStatusCode.Created);
        (await Api.StartVideo(session, (await Api.LessonIds())[0], "web-search")).AssertStatus(HttpStatusCode.Created);
        var admin = await AdminAsync();

        Assert.Equal(email, Assert.Single(await Rows(admin, $"/api/admin/users?q=ZQ{tag.ToUpperInvariant()}")).GetProperty("email").GetString());
        Assert.Equal(email, Assert.Single(await Rows(admin, $"/api/admin/users?q=prefixNAME{tag}")).GetProperty("email").GetString());
        Assert.Equal(email, Assert.Single(await Rows(admin, $"/api/admin/devices?q=Zq{tag}"))
            .GetProperty("user_email").GetString());
        Assert.Equal(email, Assert.Single(await Rows(admin, $"/api/admin/sessions?live=true&q=zQ{tag}")).GetProperty("user_email").GetString());
        // A prefix, not any part; and the search's own text is literal, never a wildcard.
        Assert.Empty(await Rows(admin, $"/api/admin/users?q={tag}"));
        Assert.Empty(await Rows(admin, $"/api/admin/users?q={Uri.EscapeDataString($"z_{tag}")}"));
        Assert.Empty(await Rows(admin, $"/api/admin/users?q={Uri.EscapeDataString($"z%{tag}")}"));
        Assert.Empty(await Rows(admin, $"/api/admin/devices?q=prefixname{tag}"));
        Assert.Empty(await Rows(admin, $"/api/admin/sessions?q=prefixname{tag}"));
    }

    [Fact]
    public async Task Admin_commands_find_the_owners_of_devices_and_sessions_in_the_read_model()
    {
        var (student, device) = await Api.SignUpWithDevice("web-owner");
        var token = (await Api.StartVideo(student, (await Api.LessonIds())[0], device)).AssertStatus(HttpStatusCode.Created)
            .Json.GetProperty("session_token").GetString()!;
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();
        var deviceId = Assert.Single(await Rows(admin, $"/api/admin/devices?user_id={userId}")).GetProperty("id").GetString()!;
        var sessionId = Assert.Single(await Rows(admin, $"/api/admin/sessions?live=true&user_id={userId}")).GetProperty("id").GetString();

        (await Api.Post($"/api/admin/sessions/{sessionId}/end", null, admin.Access)).AssertStatus(HttpStatusCode.OK);
        var unknown = Guid.NewGuid().ToString();
        var bulk = (await Api.Post("/api/admin/devices/deactivate", new { ids = new[] { unknown, deviceId }, reason = "test" }, admin.Access))
            .AssertStatus(HttpStatusCode.OK).Json.GetProperty("results");

        Assert.Equal("ended", (await Api.Heartbeat(student, token, 1)).AssertStatus(HttpStatusCode.Gone).Json.GetProperty("reason").GetString());
        Assert.Equal([(unknown, "not_found"), (deviceId, "deactivated")],
            bulk.EnumerateArray().Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("status").GetString()!)).ToList());
        Assert.False(Assert.Single(await Rows(admin, $"/api/admin/devices?user_id={userId}")).GetProperty("is_active").GetBoolean());
    }

    // ---- Helpers ----

    protected async Task<Session> AdminAsync() =>
        Session.From("admin@example.com", (await Api.Login("admin@example.com", "admin-demo-kettle-nebula")).AssertStatus(HttpStatusCode.OK));

    protected async Task<string> UserIdAsync(Session session) =>
        (await Api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("id").GetString()!;

    protected async Task<List<JsonElement>> Entries(Session session, string query) =>
        (await Api.Get($"/api/audit-logs?{query}", session.Access)).AssertStatus(HttpStatusCode.OK)
            .Json.GetProperty("results").EnumerateArray().ToList();

    /// <summary>Every entry matching the query, following the cursor to the end.</summary>
    protected async Task<List<JsonElement>> AllEntries(Session session, string query)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = (await Api.Get($"/api/audit-logs?{query}&limit=200{(cursor is null ? "" : $"&cursor={cursor}")}", session.Access))
                .AssertStatus(HttpStatusCode.OK).Json;
            all.AddRange(page.GetProperty("results").EnumerateArray());
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        return all;
    }

    protected async Task<List<JsonElement>> Rows(Session session, string path) =>
        (await Api.Get(path, session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();

    protected static List<string?> Actions(IEnumerable<JsonElement> entries) => entries.Select(e => e.GetProperty("action").GetString()).ToList();

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
}
