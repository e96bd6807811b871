using System.Net;
using Learning.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Learning.BrowserTests.Learn;

/// <summary>
/// The integration guide in Chromium: each learner is new (registered through the API), each browser context is one of
/// their devices, and the host allows two active devices (<see cref="LearningHost.DefaultSettings"/>).
/// </summary>
public sealed class LearnerPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task A_learner_signs_in_and_the_lesson_plays_in_the_video_element() => Run(async () =>
    {
        var email = await NewLearnerAsync();
        var learner = new LearnerPage(await NewDeviceAsync());
        await learner.Page.GotoAsync("/learn");
        await Screenshots.SaveAsync(learner.Page, "learn-signin");

        await learner.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        await learner.PlayAsync(await learner.FirstLessonIdAsync());

        await learner.ExpectStateAsync("playing");
        Assert.True(await learner.WaitUntilVideoAdvancesAsync() > 0);
        await Screenshots.SaveAsync(learner.Page, "learn-playing");
    });

    [Fact]
    public Task A_second_device_sees_the_conflict_takes_over_and_the_first_stops_with_taken_over() => Run(async () =>
    {
        var email = await NewLearnerAsync();
        var first = new LearnerPage(await NewDeviceAsync("first"));
        await first.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        var lessonId = await first.FirstLessonIdAsync();
        await first.PlayAsync(lessonId);
        await first.WaitUntilVideoAdvancesAsync();

        var second = new LearnerPage(await NewDeviceAsync("second"));
        await second.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        await second.PlayAsync(lessonId);

        await second.ExpectStateAsync("conflict", "session_exists");
        await Expect(second.Page.Locator("#player-message")).ToContainTextAsync("playing on");
        await Screenshots.SaveAsync(second.Page, "learn-conflict");

        await second.Page.Locator("#takeover").ClickAsync();

        await second.ExpectStateAsync("playing");
        Assert.True(await second.WaitUntilVideoAdvancesAsync() > 0);
        await first.ExpectStateAsync("stopped", "taken_over");
        await Screenshots.SaveAsync(first.Page, "learn-taken-over");
    });

    [Fact]
    public Task A_session_an_admin_ends_stops_the_player_at_the_next_heartbeat_with_the_reason() => Run(async () =>
    {
        var (email, userId) = await NewLearnerWithIdAsync();
        var learner = new LearnerPage(await NewDeviceAsync());
        await learner.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        await learner.PlayAsync(await learner.FirstLessonIdAsync());
        await learner.WaitUntilVideoAdvancesAsync();

        var admin = await AdminAsync();
        var sessionId = (await LiveSessionsAsync(admin, userId)).Single();
        (await Api.Post($"/api/admin/sessions/{sessionId}/end", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        await learner.ExpectStateAsync("stopped", "ended");
        Assert.True(await learner.Video.EvaluateAsync<bool>("video => video.paused"));
    });

    [Fact]
    public Task A_third_device_over_the_limit_gets_the_transfer_dialog_and_the_others_stop() => Run(async () =>
    {
        var email = await NewLearnerAsync();
        var first = new LearnerPage(await NewDeviceAsync("first"));
        await first.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        await first.PlayAsync(await first.FirstLessonIdAsync());
        await first.WaitUntilVideoAdvancesAsync();
        var second = new LearnerPage(await NewDeviceAsync("second"));
        await second.SignInAsActiveDeviceAsync(email, ApiClient.Password);

        var third = new LearnerPage(await NewDeviceAsync("third"));
        await third.SignInAsync(email, ApiClient.Password);

        await Expect(third.TransferDialog).ToBeVisibleAsync();
        await Expect(third.Page.Locator("#transfer-active-device")).ToContainTextAsync("(web)");
        await Expect(third.DeviceStatus).ToHaveAttributeAsync("data-active", "false");
        await Screenshots.SaveAsync(third.Page, "learn-transfer");

        await third.Page.Locator("#transfer-confirm").ClickAsync();

        await Expect(third.TransferDialog).Not.ToBeVisibleAsync();
        await Expect(third.DeviceStatus).ToHaveAttributeAsync("data-active", "true");
        await first.ExpectStateAsync("stopped", "device_transferred");
        await third.PlayAsync(await third.FirstLessonIdAsync());
        await third.ExpectStateAsync("playing");
        await third.WaitUntilVideoAdvancesAsync();
    });

    [Fact]
    public Task Leaving_the_page_ends_the_playback_so_another_device_plays_without_a_conflict() => Run(async () =>
    {
        var (email, userId) = await NewLearnerWithIdAsync();
        var first = new LearnerPage(await NewDeviceAsync("first"));
        await first.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        var lessonId = await first.FirstLessonIdAsync();
        await first.PlayAsync(lessonId);
        await first.WaitUntilVideoAdvancesAsync();
        var admin = await AdminAsync();
        Assert.Single(await LiveSessionsAsync(admin, userId));

        await first.Page.GotoAsync("about:blank");

        await WaitUntilAsync(async () => (await LiveSessionsAsync(admin, userId)).Count == 0,
            "the session is still live after the page was left");
        var second = new LearnerPage(await NewDeviceAsync("second"));
        await second.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        await second.PlayAsync(lessonId);
        await second.ExpectStateAsync("playing");
    });

    [Fact]
    public Task The_end_of_the_video_ends_the_session_and_says_what_was_counted() => Run(async () =>
    {
        var email = await NewLearnerAsync();
        var learner = new LearnerPage(await NewDeviceAsync());
        await learner.SignInAsActiveDeviceAsync(email, ApiClient.Password);
        await learner.PlayAsync(await learner.FirstLessonIdAsync());
        await learner.WaitUntilVideoAdvancesAsync();

        await learner.Video.EvaluateAsync("video => { video.currentTime = video.duration - 0.5; }");

        await learner.ExpectStateAsync("ended", "video_ended");
        await Expect(learner.Page.Locator("#player-message")).ToContainTextAsync("counted");
    });

    private async Task<string> NewLearnerAsync() => (await NewLearnerWithIdAsync()).Email;

    private async Task<(string Email, string UserId)> NewLearnerWithIdAsync()
    {
        var email = ApiClient.NewEmail();
        var user = (await Api.Register(email, fullName: "Browser Learner")).AssertStatus(HttpStatusCode.Created);
        return (email, user.Json.GetProperty("id").GetString()!);
    }

    private async Task<Session> AdminAsync() =>
        Session.From(BrowserFixture.DemoAdmin.Email,
            (await Api.Login(BrowserFixture.DemoAdmin.Email, BrowserFixture.DemoAdmin.Password)).AssertStatus(HttpStatusCode.OK));

    private async Task<List<string>> LiveSessionsAsync(Session admin, string userId) =>
        [.. (await Api.Get($"/api/admin/sessions?live=true&user_id={userId}", admin.Access)).AssertStatus(HttpStatusCode.OK)
            .Json.GetProperty("results").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    /// <summary>Polls what the server says until it holds (the page's keepalive request finishes on its own time).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(BrowserFixture.TimeoutMs);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(200);
        }
    }
}
