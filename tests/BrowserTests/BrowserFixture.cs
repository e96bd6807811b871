using Learning.TestSupport;
using Microsoft.Playwright;

namespace Learning.BrowserTests;

/// <summary>
/// One real API host and one Chromium for every browser test (collection <see cref="BrowserCollection"/>). Tests open
/// their own browser contexts (<see cref="NewContextAsync"/>): a context is one browser profile, so two contexts of one
/// learner are two devices. Tests make their own users (<see cref="ApiClient.SignUp"/>) so they never depend on each
/// other; the demo users exist too (<see cref="DemoAdmin"/>, <see cref="DemoStudent"/>).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>How long Playwright waits for an element or an expectation: generous, the machine is shared.</summary>
    public const float TimeoutMs = 30_000;

    public static readonly (string Email, string Password) DemoAdmin = ("admin@example.com", "admin-demo-kettle-nebula");
    public static readonly (string Email, string Password) DemoStudent = ("student@example.com", "student-demo-walrus-fig");

    private LearningHost? host;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private HttpClient? http;

    public LearningHost Host => host ?? throw new InvalidOperationException("The fixture is not initialized.");

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    public Uri BaseUrl => Host.BaseUrl;

    /// <summary>A JSON client of the same host, for arranging what a test needs (users, devices) without the browser.</summary>
    public ApiClient Api => new(http ?? throw new InvalidOperationException("The fixture is not initialized."));

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        // The browser first: when Chromium is missing, say so before spending a minute on the host.
        (playwright, browser) = await Chromium.LaunchAsync();
        host = await LearningHost.StartAsync();
        http = new HttpClient { BaseAddress = host.BaseUrl };
    }

    /// <summary>A fresh browser profile (cookies, localStorage: one device) on the host's address.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = BaseUrl.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 800 };
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        return context;
    }

    public async Task DisposeAsync()
    {
        http?.Dispose();
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
