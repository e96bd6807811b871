using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.OperatorConsole;

/// <summary>A public replica (<c>Console:Enabled=false</c>): no console, and no console cookie is taken anywhere.</summary>
[Collection(EdgeCollection.Name)]
public sealed class ConsoleDisabledTests(EdgeApiFactory factory)
{
    [Theory]
    [InlineData("/console")]
    [InlineData("/console/signin")]
    [InlineData("/console/users")]
    [InlineData("/console/audit/export")]
    [InlineData("/console/console.css")]
    public async Task Nothing_is_served_under_console(string path)
    {
        using var browser = ConsoleBrowser.Open(factory);

        (await browser.Get(path)).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_dashboard_takes_bearer_tokens_only()
    {
        using var browser = ConsoleBrowser.Open(factory);
        browser.Http.DefaultRequestHeaders.Add("Cookie", "learning-console=anything");

        (await browser.Get("/dashboard/")).AssertStatus(HttpStatusCode.Unauthorized);
    }
}
