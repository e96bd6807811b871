using Microsoft.Playwright;

namespace Learning.BrowserTests;

/// <summary>
/// The screenshots in docs/images, taken by the tests that reach each state. Only with <c>UPDATE_SCREENSHOTS=1</c>:
/// they are committed once, not rewritten by every run.
/// </summary>
public static class Screenshots
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1";

    public static async Task SaveAsync(IPage page, string name)
    {
        if (!Enabled)
        {
            return;
        }

        var folder = Path.Combine(Repository.Root, "docs", "images");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png") });
    }
}
