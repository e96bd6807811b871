using Learning.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Learning.BrowserTests;

/// <summary>
/// Base of a browser test: opens devices (browser contexts) that are closed after the test, records what their pages
/// print to the console, and, when the test fails, adds that, a screenshot of every open page and the host's log to
/// the test's output. Wrap the test's body in <see cref="Run"/>.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IBrowserContext> contexts = [];
    private readonly List<string> browserLog = [];

    protected BrowserFixture Fixture { get; } = fixture;

    protected ApiClient Api => Fixture.Api;

    /// <summary>A new device: a fresh browser profile with one page.</summary>
    protected async Task<IPage> NewDeviceAsync(string name = "device")
    {
        var context = await Fixture.NewContextAsync();
        contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => Record($"[{name} console.{message.Type}] {message.Text}");
        page.PageError += (_, error) => Record($"[{name} page error] {error}");
        page.RequestFailed += (_, request) => Record($"[{name} request failed] {request.Method} {request.Url}: {request.Failure}");
        return page;
    }

    /// <summary>Runs the test's body; on failure the output gets the pages' console, screenshots and the host log.</summary>
    protected async Task Run(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            await ReportFailureAsync();
            throw;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }

    private void Record(string line)
    {
        lock (browserLog)
        {
            browserLog.Add(line);
        }
    }

    private async Task ReportFailureAsync()
    {
        lock (browserLog)
        {
            foreach (var line in browserLog)
            {
                output.WriteLine(line);
            }
        }

        var folder = Directory.CreateTempSubdirectory("learning-browser-failure-").FullName;
        var index = 0;
        foreach (var page in contexts.SelectMany(c => c.Pages))
        {
            var path = Path.Combine(folder, $"page-{++index}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 10_000 });
                output.WriteLine($"Screenshot of {page.Url}: {path}");
            }
            catch (PlaywrightException e)
            {
                output.WriteLine($"No screenshot of {page.Url}: {e.Message}");
            }
        }

        output.WriteLine(Fixture.Host.LogTail(200));
    }
}
