using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Learn;

[Collection(ApiCollection.Name)]
public sealed class LearnPageTests(LearningApiFactory factory)
{
    private readonly HttpClient _http = factory.CreateClient();

    [Theory]
    [InlineData("/learn")]
    [InlineData("/learn/")]
    [InlineData("/learn/index.html")]
    public async Task Development_serves_the_learner_page_with_its_own_policy(string path)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'self'; media-src 'self';", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("/learn/learn.js", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_script_and_styles_are_served_and_revalidated_on_every_load()
    {
        using var script = await _http.GetAsync("/learn/learn.js");
        using var styles = await _http.GetAsync("/learn/learn.css");

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, styles.StatusCode);
        Assert.Equal("text/css", styles.Content.Headers.ContentType!.MediaType);
        Assert.True(script.Headers.CacheControl!.NoCache);
    }

    [Fact]
    public async Task A_missing_file_under_learn_is_the_api_404()
    {
        using var response = await _http.GetAsync("/learn/missing.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}

public sealed class LearnPageDisabledTests(LearnPageDisabledTests.Factory factory) : IClassFixture<LearnPageDisabledTests.Factory>
{
    [Fact]
    public async Task With_Learn_Enabled_false_there_is_no_learner_page()
    {
        using var response = await factory.CreateClient().GetAsync("/learn");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public sealed class Factory : LearningApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Learn:Enabled", "false")];
    }
}
