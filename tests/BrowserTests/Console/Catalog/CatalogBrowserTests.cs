using Learning.BrowserTests.Learn;
using Learning.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Learning.BrowserTests.OperatorConsole.Catalog;

/// <summary>The catalog pages in Chromium: from an empty course to a video the learner page plays.</summary>
public sealed class CatalogBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
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
        await Screenshots.SaveAsync(console, "console-catalog-lesson");

        await console.GotoAsync($"/console/catalog/courses/{courseId}");
        await console.Locator("#publish-course button").ClickAsync();
        await Expect(console.Locator("main > .notice")).ToContainTextAsync("Course published");
        await Expect(console.Locator("#course-state")).ToContainTextAsync("This course is published");
        await Screenshots.SaveAsync(console, "console-catalog-course");
        await console.GotoAsync("/console/catalog");
        await Expect(console.Locator("#courses")).ToContainTextAsync(title);
        await Screenshots.SaveAsync(console, "console-catalog");

        var student = await Api.SignUp();
        var learner = new LearnerPage(await NewDeviceAsync("learner"));
        await learner.SignInAsActiveDeviceAsync(student.Email, ApiClient.Password);
        await learner.Page.Locator($"button.open-course[data-course-id='{courseId}']").ClickAsync();
        await learner.PlayAsync(lessonId);

        Assert.True(await learner.WaitUntilVideoAdvancesAsync() > 0);
        // The uploaded file (160×120), not the Development placeholder (320×180) that lessons without a file play.
        Assert.Equal(160, await learner.Video.EvaluateAsync<int>("v => v.videoWidth"));
        Assert.Equal(120, await learner.Video.EvaluateAsync<int>("v => v.videoHeight"));
    });

    private static async Task SignInToConsoleAsync(IPage page)
    {
        await page.GotoAsync("/console/signin");
        await page.Locator("#email").FillAsync(BrowserFixture.DemoAdmin.Email);
        await page.Locator("#password").FillAsync(BrowserFixture.DemoAdmin.Password);
        await page.Locator("#signin-submit").ClickAsync();
        await page.WaitForURLAsync("**/console/users");
    }
}

/// <summary>The small real video the catalog tests upload (VP8 WebM, 160×120, 3 s; see docs/console-catalog.md).</summary>
public static class SmallVideo
{
    public const long Bytes = 25_099;

    public static string Path { get; } = System.IO.Path.Combine(Repository.Root, "tests", "BrowserTests", "Media", "catalog-lesson.webm");
}
