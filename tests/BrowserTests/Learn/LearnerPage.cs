using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Learning.BrowserTests.Learn;

/// <summary>The learner page at /learn as a test drives it, by the element ids docs/learn.md lists.</summary>
public sealed class LearnerPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Status => Page.Locator("#player-status");

    public ILocator Video => Page.Locator("video#player-video");

    public ILocator DeviceStatus => Page.Locator("#device-status");

    public ILocator TransferDialog => Page.Locator("#transfer-dialog");

    public ILocator PlayButtons => Page.Locator("button.play[data-lesson-id]");

    /// <summary>Opens the page and signs in; the browser then registers itself as a device and shows the catalog.</summary>
    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/learn");
        await Page.Locator("#signin-email").FillAsync(email);
        await Page.Locator("#signin-password").FillAsync(password);
        await Page.Locator("#signin-submit").ClickAsync();
        await Expect(Page.Locator("#account-email")).ToHaveTextAsync(email);
    }

    /// <summary>Signs in and waits until the browser is an active device and the first course's lessons are listed.</summary>
    public async Task SignInAsActiveDeviceAsync(string email, string password)
    {
        await SignInAsync(email, password);
        await Expect(DeviceStatus).ToHaveAttributeAsync("data-active", "true");
        await Expect(PlayButtons.First).ToBeEnabledAsync();
    }

    public async Task<string> FirstLessonIdAsync() => (await PlayButtons.First.GetAttributeAsync("data-lesson-id"))!;

    public Task PlayAsync(string lessonId) => Page.Locator($"button.play[data-lesson-id='{lessonId}']").ClickAsync();

    /// <summary>Waits until the video element really plays: its position moves past 0.</summary>
    public async Task<double> WaitUntilVideoAdvancesAsync()
    {
        await Page.WaitForFunctionAsync("() => document.querySelector('#player-video').currentTime > 0");
        return await Video.EvaluateAsync<double>("video => video.currentTime");
    }

    public Task ExpectStateAsync(string state, string reason = "") => Task.WhenAll(
        Expect(Status).ToHaveAttributeAsync("data-state", state),
        Expect(Status).ToHaveAttributeAsync("data-reason", reason));
}
