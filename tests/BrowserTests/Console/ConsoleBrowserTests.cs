using System.Net;
using System.Text.RegularExpressions;
using Learning.BrowserTests.Learn;
using Learning.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Learning.BrowserTests.OperatorConsole;

/// <summary>
/// An operator's work in the console, in Chromium against the real host, with the demo admin; learners are new
/// users made through the API (or the learner page) for each test.
/// </summary>
public sealed class ConsoleBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task An_admin_finds_the_student_sees_the_live_session_ends_it_and_the_learner_page_stops() => Run(async () =>
    {
        var (email, _) = await NewLearnerAsync("live");
        var learner = new LearnerPage(await NewDeviceAsync("learner"));
        await learner.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        await learner.PlayAsync(await learner.FirstLessonIdAsync());
        await learner.WaitUntilVideoAdvancesAsync();
        var console = new ConsolePage(await NewDeviceAsync("operator"));
        await console.SignInAsAdminAsync();

        await console.Page.Locator("#q").FillAsync(email);
        await console.Page.Locator("#users-search").ClickAsync();
        await Expect(console.Page.Locator("#users tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(console.Page, "console-users");
        await console.Page.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();
        await Expect(console.Page.Locator("#user-email")).ToHaveTextAsync(email);
        var live = console.Page.Locator("#live-sessions tbody tr");
        await Expect(live).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(console.Page, "console-user-detail");
        await console.Page.GotoAsync($"/console/sessions?live=true&q={Uri.EscapeDataString(email)}");
        await Expect(console.Page.Locator("#sessions tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(console.Page, "console-sessions");
        await console.Page.GoBackAsync();

        await live.Locator("button.end-session").ClickAsync();

        await Expect(console.Notice).ToHaveTextAsync("Session ended.");
        await Expect(live).ToHaveCountAsync(0);
        await learner.ExpectStateAsync("stopped", "ended");
    });

    [Fact]
    public Task Bulk_deactivating_two_devices_with_a_reason_shows_both_audit_entries_and_the_csv_has_the_filtered_rows() => Run(async () =>
    {
        var prefix = $"bulk-{Guid.NewGuid():N}"[..13];
        var (first, firstId) = await NewLearnerAsync(prefix + "-a", withDevice: true);
        var (second, _) = await NewLearnerAsync(prefix + "-b", withDevice: true);
        var console = new ConsolePage(await NewDeviceAsync("operator"));
        await console.SignInAsAdminAsync();
        await console.Page.GotoAsync($"/console/devices?q={prefix}");
        var rows = console.Page.Locator("#devices tbody tr");
        await Expect(rows).ToHaveCountAsync(2);

        await rows.Locator("input[name=ids]").Nth(0).CheckAsync();
        await rows.Locator("input[name=ids]").Nth(1).CheckAsync();
        await Screenshots.SaveAsync(console.Page, "console-devices");
        await console.Page.Locator("#deactivate-selected").ClickAsync();
        await Expect(console.Page.Locator("h1")).ToHaveTextAsync("Deactivate 2 devices?");
        await Expect(console.Page.Locator("#confirm-devices tbody tr")).ToHaveCountAsync(2);
        await console.Page.Locator("#reason").FillAsync("shared account");
        await console.Page.Locator("#confirm-deactivate").ClickAsync();

        await Expect(console.Notice).ToHaveTextAsync("2 deactivated.");
        await Expect(rows.Locator(".pill.on")).ToHaveCountAsync(0);
        await console.Page.GotoAsync("/console/audit?action=device_deactivate");
        var entries = console.Page.Locator("table.audit tbody tr").Filter(new() { HasText = "shared account" });
        await Expect(entries.Filter(new() { HasText = first })).ToHaveCountAsync(1);
        await Expect(entries.Filter(new() { HasText = second })).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(console.Page, "console-audit");

        await console.Page.Locator("#user_id").FillAsync(firstId);
        await console.Page.Locator("#audit-search").ClickAsync();
        await Expect(console.Page.Locator("table.audit tbody tr")).ToHaveCountAsync(1);
        var download = await console.Page.RunAndWaitForDownloadAsync(() => console.Page.Locator("#audit-export").ClickAsync());
        var csv = (await File.ReadAllTextAsync(await download.PathAsync())).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("id,created_at,user_id,user_email,action", csv[0]);
        var row = Assert.Single(csv[1..]);
        Assert.Contains($",{first},device_deactivate,", row);
        Assert.Contains("shared account", row);
    });

    [Fact]
    public Task A_student_cannot_sign_in_to_the_console() => Run(async () =>
    {
        var (email, _) = await NewLearnerAsync("student");
        var console = new ConsolePage(await NewDeviceAsync("student"));

        await console.SignInAsync(email, ApiClient.Password);

        await Expect(console.Page.Locator("#signin-problem")).ToContainTextAsync("administrators only");
        await Expect(console.Page).ToHaveURLAsync(new Regex("/console/signin"));
        await console.Page.GotoAsync("/console/users");
        await Expect(console.Page).ToHaveURLAsync(new Regex("/console/signin\\?return_url="));
    });

    [Fact]
    public Task A_form_posted_without_its_antiforgery_token_is_refused() => Run(async () =>
    {
        var console = new ConsolePage(await NewDeviceAsync("operator"));
        await console.SignInAsAdminAsync();
        // What a forged cross-site form would send: the operator's cookies, but no token of the page.
        await console.Page.EvaluateAsync("() => document.querySelectorAll('input[name=__RequestVerificationToken]').forEach(input => input.remove())");

        var response = await console.Page.RunAndWaitForResponseAsync(
            () => console.Page.Locator("#console-signout").ClickAsync(), r => r.Url.Contains("/console/signout"));

        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        await console.Page.GotoAsync("/console/users");
        await Expect(console.Page).ToHaveURLAsync(new Regex("/console/users$"));
    });

    /// <summary>A new learner (email starting with <paramref name="prefix"/>), optionally with a device registered through the API.</summary>
    private async Task<(string Email, string UserId)> NewLearnerAsync(string prefix, bool withDevice = false)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@example.com";
        var user = (await Api.Register(email, fullName: "Console Learner")).AssertStatus(HttpStatusCode.Created);
        if (withDevice)
        {
            var session = Session.From(email, (await Api.Login(email)).AssertStatus(HttpStatusCode.OK));
            (await Api.RegisterDevice(session, $"web-{prefix}")).AssertStatus(HttpStatusCode.Created);
        }

        return (email, user.Json.GetProperty("id").GetString()!);
    }
}
