using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Learning.BrowserTests.OperatorConsole.Catalog;

/// <summary>The catalog pages in Chromium: from an empty course to a video the learner page plays.</summary>
public sealed class CatalogBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>Set to 1 to write the catalog pages' screenshots into docs/images.</summary>
    public const string UpdateVariable = "UPDATE_SCREENSHOTS";

    [Fact]
    public Task An_operator_builds_a_course_uploads_its_video_and_publishes_it_and_the_learner_page_plays_it() => Run(async () =>
    {
        var console = await NewDeviceAsync("console");
        await SignInToConsoleAsync(console);
        var title = $"Chromium course {Guid.NewGuid().ToString("N")[..8]}";

        await console.GotoAsync("/console/catalog");
        await console.Locator("#new-course [name=title]").FillAsync(title);
        await console.Locator("#new-course [name=description]").FillAsync("Built in the console by a browser test.");
        await console.Locator("#new-course button[type=submit]").ClickAsync();
        await Expect(console.Locator("main > .notice")).ToContainTextAsync("created (unpublished)");
        var courseId = console.Url.Split('/')[^1];

        await console.Locator("#new-lesson [name=title]").FillAsync("Colour bars");
        await console.Locator("#new-lesson [name=durationMinutes]").FillAsync("5");
        await console.Locator("#new-lesson [name=freePreview]").CheckAsync();
        await console.Locator("#new-lesson button[type=submit]").ClickAsync();
        await Expect(console.Locator("main > .notice")).ToContainTextAsync("Lesson \"Colour bars\" added.");
        var lessonId = console.Url.Split('/')[^1];

        await console.Locator("#upload-form input[type=file]").SetInputFilesAsync(SmallVideo.Path);
        await console.Locator("#upload-form button[type=submit]").ClickAsync();
        await Expect(console.Locator("#upload-form")).ToHaveAttributeAsync("data-state", "done");
        var progress = console.Locator("#upload-progress");
        await Expect(progress).ToBeVisibleAsync();
        // The bar counted the file's bytes and reached its end.
        Assert.Equal(SmallVideo.Bytes, await progress.EvaluateAsync<double>("p => p.max"));
        Assert.Equal(SmallVideo.Bytes, await progress.EvaluateAsync<double>("p => p.value"));
        await Expect(console.Locator("#upload-status")).ToContainTextAsync("Video uploaded: video/webm, 25,099 bytes, 3 s.");
        await ScreenshotAsync(console, "console-catalog-lesson.png");

        await console.GotoAsync($"/console/catalog/courses/{courseId}");
        await console.Locator("#publish-course button").ClickAsync();
        await Expect(console.Locator("main > .notice")).ToContainTextAsync("Course published");
        await Expect(console.Locator("#course-state")).ToContainTextAsync("This course is published");
        await ScreenshotAsync(console, "console-catalog-course.png");
        await console.GotoAsync("/console/catalog");
        await Expect(console.Locator("#courses")).ToContainTextAsync(title);
        await ScreenshotAsync(console, "console-catalog.png");

        var student = await Api.SignUp();
        var learner = await NewDeviceAsync("learner");
        await learner.GotoAsync("/learn");
        await learner.Locator("#signin-email").FillAsync(student.Email);
        await learner.Locator("#signin-password").FillAsync(TestSupport.ApiClient.Password);
        await learner.Locator("#signin-submit").ClickAsync();
        await learner.Locator($"button.open-course[data-course-id=\"{courseId}\"]").ClickAsync();
        await learner.Locator($"button.play[data-lesson-id=\"{lessonId}\"]").ClickAsync();

        var video = learner.Locator("video#player-video");
        await learner.WaitForFunctionAsync("() => document.querySelector('video#player-video').currentTime > 0");
        // The uploaded file (160×120), not the Development placeholder that lessons without a file play.
        Assert.Equal(160, await video.EvaluateAsync<int>("v => v.videoWidth"));
        Assert.Equal(120, await video.EvaluateAsync<int>("v => v.videoHeight"));
    });

    private static async Task SignInToConsoleAsync(IPage page)
    {
        await page.GotoAsync("/console/signin");
        await page.GetByLabel("Email").FillAsync(BrowserFixture.DemoAdmin.Email);
        await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoAdmin.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/console/signin", StringComparison.Ordinal));
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(SmallVideo.RepositoryRoot, "docs", "images", name), FullPage = true });
        }
    }
}

/// <summary>The small real video the catalog tests upload (VP8 WebM, 160×120, 3 s; see docs/console-catalog.md).</summary>
public static class SmallVideo
{
    public const long Bytes = 25_099;

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Path { get; } = System.IO.Path.Combine(RepositoryRoot, "tests", "BrowserTests", "Media", "catalog-lesson.webm");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Orleans.Learning.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("No Orleans.Learning.sln above " + AppContext.BaseDirectory);
    }
}
