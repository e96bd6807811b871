using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Learning.BrowserTests.OperatorConsole;

/// <summary>The operator console as a test drives it, by the element ids of its pages (docs/console.md).</summary>
public sealed class ConsolePage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Notice => Page.Locator("#console-notice");

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/console/signin");
        await Page.Locator("#email").FillAsync(email);
        await Page.Locator("#password").FillAsync(password);
        await Page.Locator("#signin-submit").ClickAsync();
    }

    /// <summary>Signs in and waits for the users page, where the console opens.</summary>
    public async Task SignInAsAdminAsync()
    {
        await SignInAsync(BrowserFixture.DemoAdmin.Email, BrowserFixture.DemoAdmin.Password);
        await Expect(Page).ToHaveURLAsync(new Regex("/console/users$"));
    }
}
