using System.Net;
using System.Text.Json;
using Learning.FunctionalTests.Accounts;
using Learning.TestSupport;

namespace Learning.FunctionalTests.OperatorConsole;

/// <summary>
/// The console's pages do what the matching REST routes do, through the same calls: the users see the same state
/// change and the same audit entries, with the console's admin as the actor.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ConsolePagesTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task An_admin_finds_a_student_by_email_sees_the_live_session_and_ends_it()
    {
        var (student, device) = await _api.SignUpWithDevice("web-console-end");
        var token = (await _api.StartVideo(student, (await _api.LessonIds())[0], device)).AssertStatus(HttpStatusCode.Created)
            .Json.GetProperty("session_token").GetString()!;
        var studentId = await _api.UserId(student);
        var (browser, admin) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var _ = browser;

        var users = (await browser.Get($"/console/users?q={Uri.EscapeDataString(student.Email)}")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains($"/console/users/{studentId}", users.Html);
        var detail = (await browser.Get($"/console/users/{studentId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(student.Email, detail.Text);
        Assert.Contains("web-console-end", detail.Text);
        var sessionId = SessionIdOn(detail);
        var sessions = (await browser.Get($"/console/sessions?live=true&q={Uri.EscapeDataString(student.Email)}")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(sessionId, sessions.Html);

        (await browser.Post($"/console/users/{studentId}?handler=EndSession", ("sessionId", sessionId))).AssertRedirect($"/console/users/{studentId}");

        var beat = (await _api.Heartbeat(student, token, 1)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("ended", beat.Json.GetProperty("reason").GetString());
        var ended = await AuditAsync(student, "video_end");
        Assert.Equal(admin.Id.ToString(), Assert.Single(ended).GetProperty("metadata").GetProperty("actor_id").GetString());
        Assert.Contains("Session ended.", (await browser.Get($"/console/users/{studentId}")).Text);
    }

    [Fact]
    public async Task Bulk_deactivation_asks_for_confirmation_and_a_reason_then_audits_each_device_with_the_actor()
    {
        var (first, _) = await _api.SignUpWithDevice("web-console-bulk-1");
        var (second, _) = await _api.SignUpWithDevice("web-console-bulk-2");
        var firstDevice = await DeviceIdAsync(first);
        var secondDevice = await DeviceIdAsync(second);
        var (browser, admin) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var _ = browser;
        var listing = (await browser.Get($"/console/devices?q={Uri.EscapeDataString(first.Email)}")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(firstDevice, listing.Html);

        var confirm = (await browser.Post("/console/devices?handler=Confirm", ("ids", firstDevice), ("ids", secondDevice), ("back", "/console/devices")))
            .AssertStatus(HttpStatusCode.OK);
        Assert.Contains("Deactivate 2 devices?", confirm.Text);
        Assert.Contains(first.Email, confirm.Text);
        Assert.Contains(second.Email, confirm.Text);
        // Nothing happens before the confirmation, and not without a reason.
        Assert.Empty(await AuditAsync(first, "device_deactivate"));
        (await browser.Post("/console/devices?handler=Deactivate", ("ids", firstDevice), ("ids", secondDevice), ("reason", " "), ("back", "/console/devices")))
            .AssertRedirect("/console/devices");
        Assert.Contains("reason", (await browser.Get("/console/devices")).Text);
        Assert.Empty(await AuditAsync(first, "device_deactivate"));

        (await browser.Post("/console/devices?handler=Deactivate", ("ids", firstDevice), ("ids", secondDevice), ("reason", "shared account"), ("back", "/console/devices")))
            .AssertRedirect("/console/devices");

        Assert.Contains("2 deactivated.", (await browser.Get("/console/devices")).Text);
        foreach (var owner in new[] { first, second })
        {
            var metadata = Assert.Single(await AuditAsync(owner, "device_deactivate")).GetProperty("metadata");
            Assert.Equal("shared account", metadata.GetProperty("reason").GetString());
            Assert.Equal(admin.Id.ToString(), metadata.GetProperty("actor_id").GetString());
            Assert.All((await _api.Get("/api/devices", owner.Access)).Json.EnumerateArray(), d => Assert.False(d.GetProperty("is_active").GetBoolean()));
        }
    }

    [Fact]
    public async Task Activating_a_device_from_the_console_is_a_transfer_to_it()
    {
        var (student, _) = await _api.SignUpWithDevice("web-console-activate");
        await _api.Transfer(student, "ios-console-activate");
        var inactive = await DeviceIdAsync(student, "web-console-activate");
        var (browser, admin) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var _ = browser;
        (await browser.Get($"/console/devices?is_active=false&q={Uri.EscapeDataString(student.Email)}")).AssertStatus(HttpStatusCode.OK);

        (await browser.Post("/console/devices?handler=Activate", ("id", inactive), ("back", "/console/devices?is_active=false")))
            .AssertRedirect("/console/devices");

        var devices = (await _api.Get("/api/devices", student.Access)).Json.EnumerateArray().ToList();
        Assert.True(devices.Single(d => d.GetProperty("id").GetString() == inactive).GetProperty("is_active").GetBoolean());
        Assert.Single(devices, d => d.GetProperty("is_active").GetBoolean());
        Assert.Equal(admin.Id.ToString(), Assert.Single(await AuditAsync(student, "device_activate")).GetProperty("metadata").GetProperty("actor_id").GetString());
    }

    [Fact]
    public async Task Disable_and_enable_from_the_user_page_refuse_and_allow_sign_in_with_the_actor_audited()
    {
        var student = await _api.SignUp();
        var studentId = await _api.UserId(student);
        var (browser, admin) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var _ = browser;
        (await browser.Get($"/console/users/{studentId}")).AssertStatus(HttpStatusCode.OK);

        (await browser.Post($"/console/users/{studentId}?handler=Disable")).AssertRedirect($"/console/users/{studentId}");

        (await _api.Login(student.Email)).AssertProblem(HttpStatusCode.Forbidden, "account_disabled");
        (await _api.Get("/api/auth/me", student.Access)).AssertStatus(HttpStatusCode.Unauthorized);
        Assert.Contains("disabled", (await browser.Get($"/console/users/{studentId}")).Text);

        (await browser.Post($"/console/users/{studentId}?handler=Enable")).AssertRedirect($"/console/users/{studentId}");

        var again = Session.From(student.Email, (await _api.Login(student.Email)).AssertStatus(HttpStatusCode.OK));
        foreach (var action in new[] { "user_disable", "user_enable" })
        {
            Assert.Equal(admin.Id.ToString(), Assert.Single(await AuditAsync(again, action)).GetProperty("metadata").GetProperty("actor_id").GetString());
        }
    }

    [Fact]
    public async Task A_grant_from_the_user_page_gives_access_until_its_end()
    {
        var student = await _api.SignUp();
        var studentId = await _api.UserId(student);
        var (browser, _) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var __ = browser;
        (await browser.Get($"/console/users/{studentId}")).AssertStatus(HttpStatusCode.OK);
        var until = factory.Clock.GetUtcNow().AddDays(10).UtcDateTime.ToString("yyyy-MM-ddTHH:mm");

        (await browser.Post($"/console/users/{studentId}?handler=Grant", ("until", until), ("reason", "goodwill"))).AssertRedirect($"/console/users/{studentId}");

        var page = (await browser.Get($"/console/users/{studentId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains("goodwill", page.Text);
        Assert.Single(await AuditAsync(student, "access_granted"));
    }

    [Fact]
    public async Task The_audit_page_filters_and_its_csv_export_carries_the_same_filters()
    {
        var student = await _api.SignUp();
        var studentId = await _api.UserId(student);
        await _api.Login(student.Email, "not-the-password");
        var (browser, _) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var __ = browser;

        var page = (await browser.Get($"/console/audit?user_id={studentId}&action=login_failed")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains("<span class=\"pill\">login_failed</span>", page.Html);
        Assert.DoesNotContain("<span class=\"pill\">user_register</span>", page.Html);
        var export = $"/console/audit/export?user_id={studentId}&action=login_failed";
        Assert.Contains(WebUtility.HtmlEncode(export), page.Html);

        var csv = (await browser.Get(export)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("text/csv", csv.ContentType);
        var lines = csv.Html.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,created_at,user_id,user_email,action", lines[0]);
        Assert.Contains(",login_failed,", Assert.Single(lines[1..]));

        using var anonymous = ConsoleBrowser.Open(factory);
        (await anonymous.Get(export)).AssertRedirect("/console/signin");
        anonymous.Http.DefaultRequestHeaders.Accept.Clear();
        (await anonymous.Get(export)).AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_console_listing_answers_for_an_admin()
    {
        var (browser, _) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var _ = browser;

        foreach (var path in new[] { "/console/users", "/console/devices", "/console/sessions?live=true", "/console/conflicts", "/console/subscriptions", "/console/audit" })
        {
            var page = (await browser.Get(path)).AssertStatus(HttpStatusCode.OK);
            Assert.Contains("default-src 'self'", page.Header("Content-Security-Policy"));
            Assert.DoesNotContain("<script", page.Html);
            Assert.DoesNotContain(" style=", page.Html);
        }
    }

    [Fact]
    public async Task The_dashboard_opens_with_the_console_session_and_not_after_it_is_revoked()
    {
        var (browser, admin) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var _ = browser;

        (await browser.Get("/dashboard/")).AssertStatus(HttpStatusCode.OK);

        var other = Session.From(admin.Email, (await _api.Login(admin.Email, admin.Password)).AssertStatus(HttpStatusCode.OK));
        (await _api.Post($"/api/admin/users/{admin.Id}/sign-out", null, other.Access)).AssertStatus(HttpStatusCode.OK);
        (await browser.Get("/dashboard/")).AssertRedirect("/console/signin");
    }

    private static string SessionIdOn(ConsolePage page) =>
        System.Text.RegularExpressions.Regex.Match(page.Html, "name=\"sessionId\" value=\"([0-9a-f-]{36})\"").Groups[1].Value is { Length: 36 } id
            ? id
            : throw new InvalidOperationException($"No live session on the page: {page.Html}");

    private async Task<string> DeviceIdAsync(Session session, string? deviceId = null) =>
        (await _api.Get("/api/devices", session.Access)).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray()
        .First(d => deviceId is null || d.GetProperty("device_id").GetString() == deviceId).GetProperty("id").GetString()!;

    private async Task<IReadOnlyList<JsonElement>> AuditAsync(Session session, string action) =>
        [.. (await _api.Get($"/api/audit-logs?action={action}", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray()];
}
