using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Learning.BrowserTests.Learn;

public sealed class LearnPageServingTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task The_host_serves_the_learner_page_with_its_own_policy() => Run(async () =>
    {
        var page = await NewDeviceAsync();

        var response = await page.GotoAsync("/learn");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("default-src 'self'", await response.HeaderValueAsync("content-security-policy"));
        await Expect(page).ToHaveTitleAsync("Orleans.Learning");
    });
}
