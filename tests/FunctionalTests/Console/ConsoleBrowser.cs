using System.Net;
using System.Text.RegularExpressions;
using Learning.Accounts;
using Learning.Common;
using Learning.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.FunctionalTests.OperatorConsole;

/// <summary>
/// A browser on the operator console without a browser: asks for HTML, keeps the cookies (console session, antiforgery), does not
/// follow redirects (tests look at them), and posts forms with the antiforgery token the last page rendered.
/// </summary>
public sealed partial class ConsoleBrowser(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    /// <summary>The antiforgery token of the last page that had a form.</summary>
    private string? _token;

    public static ConsoleBrowser Open(LearningApiFactory factory, string? peerAddress = null)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Learning.ConsoleTests/1.0");
        // As a browser asks for a page: sign-in redirects are for pages, scripts get a 401.
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
        if (peerAddress is not null)
        {
            client.DefaultRequestHeaders.Add(ClientAddressStartupFilter.Header, peerAddress);
        }

        return new ConsoleBrowser(client);
    }

    /// <summary>An admin of this test's own (made through the accounts grain, as the seeder makes the demo admin).</summary>
    public static async Task<ConsoleAdmin> NewAdminAsync(LearningApiFactory factory)
    {
        var email = ApiClient.NewEmail();
        var result = await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountsGrain>(0)
            .Register(new RegisterAccount(email, ApiClient.Password, "Console Admin", Role.Admin), ClientInfo.Internal);
        Assert.True(result.Succeeded, result.Error?.Message);
        return new ConsoleAdmin(result.Value!.Id, email, ApiClient.Password);
    }

    /// <summary>A new admin signed into the console in a browser of its own.</summary>
    public static async Task<(ConsoleBrowser Browser, ConsoleAdmin Admin)> SignedInAdminAsync(LearningApiFactory factory)
    {
        var admin = await NewAdminAsync(factory);
        var browser = Open(factory);
        (await browser.SignIn(admin.Email, admin.Password)).AssertRedirect("/console/users");
        return (browser, admin);
    }

    /// <summary>Opens the sign-in page and posts the form; answers the post.</summary>
    public async Task<ConsolePage> SignIn(string email, string password, string? returnUrl = null)
    {
        (await Get("/console/signin")).AssertStatus(HttpStatusCode.OK);
        return await Post("/console/signin", ("email", email), ("password", password), ("return_url", returnUrl ?? ""));
    }

    public async Task<ConsolePage> Get(string path)
    {
        using var response = await Http.GetAsync(path);
        return await Read(response);
    }

    /// <summary>Posts a form with the antiforgery token of the last page read (as a browser posts a page's form).</summary>
    public Task<ConsolePage> Post(string path, params (string Name, string Value)[] fields) =>
        PostRaw(path, [.. fields, ("__RequestVerificationToken", _token ?? throw new InvalidOperationException("No page with a form was read yet."))]);

    /// <summary>Posts exactly these fields: no antiforgery token unless given.</summary>
    public async Task<ConsolePage> PostRaw(string path, params (string Name, string Value)[] fields)
    {
        using var response = await Http.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));
        return await Read(response);
    }

    private async Task<ConsolePage> Read(HttpResponseMessage response)
    {
        var page = await ConsolePage.Read(response);
        if (TokenPattern().Match(page.Html) is { Success: true } match)
        {
            _token = WebUtility.HtmlDecode(match.Groups[1].Value);
        }

        return page;
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public sealed record ConsoleAdmin(Guid Id, string Email, string Password);

public sealed record ConsolePage(HttpStatusCode Status, string? ContentType, string Html, HttpResponseMessage Response)
{
    /// <summary>The redirect's target as a local path and query (the cookie handler writes absolute addresses).</summary>
    public string? Location => Response.Headers.Location is { } location
        ? location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString
        : null;

    public string? Header(string name) =>
        Response.Headers.TryGetValues(name, out var values) || Response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    public IEnumerable<string> SetCookies => Response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    public static async Task<ConsolePage> Read(HttpResponseMessage response) =>
        new(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response);

    public ConsolePage AssertStatus(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"Expected {(int)expected} but got {(int)Status} ({Location}): {Html}");
        return this;
    }

    /// <summary>A redirect to <paramref name="path"/> (its query aside).</summary>
    public ConsolePage AssertRedirect(string path)
    {
        Assert.True(Status == HttpStatusCode.Redirect, $"Expected a redirect to {path} but got {(int)Status}: {Html}");
        Assert.Equal(path, Location?.Split('?')[0]);
        return this;
    }

    /// <summary>The page's text with markup and extra white space removed, for "the operator sees …" assertions.</summary>
    public string Text => Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(Html, "<[^>]+>", " ")), @"\s+", " ");
}
