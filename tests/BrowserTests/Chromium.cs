using Microsoft.Playwright;

namespace Learning.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright. Playwright's .NET package carries its own driver (Node.js and the
/// playwright-core package, copied into the test output); the browser is the system's, so nothing is ever downloaded.
/// </summary>
public static class Chromium
{
    /// <summary>
    /// The flags this machine needs: without the background-networking ones Chromium keeps trying to reach Google's
    /// hosts, which the closed network refuses. Playwright gives every launch a fresh temporary user-data folder of its
    /// own (and refuses a <c>--user-data-dir</c> flag), so each run starts from an empty profile.
    /// </summary>
    public static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary><c>CHROMIUM_PATH</c> when set, otherwise Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = ExecutablePath;
        if (!File.Exists(executable))
        {
            // A failure, not a skip: a missing browser must not look like passing browser tests.
            throw new InvalidOperationException(
                $"Chromium is not installed at {executable}. Install Debian's package (apt-get install -y chromium; "
                + "scripts/test.sh does it in its full run) or point CHROMIUM_PATH at a Chromium binary.");
        }

        // Belt and braces: this package never downloads on its own, and nothing here may try.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                Timeout = 120_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
