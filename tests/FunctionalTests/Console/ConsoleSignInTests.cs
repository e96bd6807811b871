using System.Net;
using Learning.Api.OperatorConsole;
using Learning.TestSupport;

namespace Learning.FunctionalTests.OperatorConsole;

/// <summary>Console sign-in and its session: admins only, the API's lockout, cookie flags, CSP, antiforgery, revocation.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConsoleSignInTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task An_admin_signs_in_and_gets_an_http_only_strict_cookie()
    {
        var admin = await ConsoleBrowser.NewAdminAsync(factory);
        using var browser = ConsoleBrowser.Open(factory);

        var signedIn = (await browser.SignIn(admin.Email, admin.Password)).AssertRedirect("/console/users");

        var cookie = Assert.Single(signedIn.SetCookies, c => c.StartsWith("learning-console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        // Development over plain HTTP: Secure is set outside Development only (see Console_cookie_is_secure_outside_development).
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        (await browser.Get("/console")).AssertRedirect("/console/users");
    }

    [Fact]
    public async Task A_student_is_refused_with_a_clear_message()
    {
        var email = ApiClient.NewEmail();
        (await _api.Register(email)).AssertStatus(HttpStatusCode.Created);
        using var browser = ConsoleBrowser.Open(factory);

        var page = (await browser.SignIn(email, ApiClient.Password)).AssertStatus(HttpStatusCode.Forbidden);

        Assert.Contains("administrators only", page.Text);
        Assert.DoesNotContain(page.SetCookies, c => c.StartsWith("learning-console=", StringComparison.Ordinal));
        (await browser.Get("/console/users")).AssertRedirect("/console/signin");
    }

    [Fact]
    public async Task Wrong_passwords_in_the_console_count_toward_the_api_lockout()
    {
        var email = ApiClient.NewEmail();
        (await _api.Register(email)).AssertStatus(HttpStatusCode.Created);
        using var browser = ConsoleBrowser.Open(factory);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await browser.SignIn(email, "not-the-password")).AssertStatus(HttpStatusCode.Unauthorized);
        }

        (await _api.Login(email)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");
        var locked = (await browser.SignIn(email, ApiClient.Password)).AssertStatus(HttpStatusCode.TooManyRequests);
        Assert.Contains("locked", locked.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused()
    {
        var admin = await ConsoleBrowser.NewAdminAsync(factory);
        using var browser = ConsoleBrowser.Open(factory);
        (await browser.Get("/console/signin")).AssertStatus(HttpStatusCode.OK);

        (await browser.PostRaw("/console/signin", ("email", admin.Email), ("password", admin.Password)))
            .AssertStatus(HttpStatusCode.BadRequest);
        (await browser.Get("/console/users")).AssertRedirect("/console/signin");
    }

    [Fact]
    public async Task Console_pages_send_their_own_strict_content_security_policy()
    {
        using var browser = ConsoleBrowser.Open(factory);

        var page = (await browser.Get("/console/signin")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(ConsoleSetup.ContentSecurityPolicy, page.Header("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", page.Header("Content-Security-Policy"));
        Assert.DoesNotContain("<script", page.Html);
        Assert.DoesNotContain("style=", page.Html);
        Assert.Equal("DENY", page.Header("X-Frame-Options"));
    }

    [Fact]
    public async Task A_page_without_a_session_sends_the_operator_to_sign_in_and_back()
    {
        var admin = await ConsoleBrowser.NewAdminAsync(factory);
        using var browser = ConsoleBrowser.Open(factory);

        var refused = (await browser.Get("/console/users?q=a")).AssertRedirect("/console/signin");
        Assert.Contains("return_url=%2Fconsole%2Fusers%3Fq%3Da", refused.Location);

        var back = (await browser.SignIn(admin.Email, admin.Password, "/console/users?q=a")).AssertRedirect("/console/users");
        Assert.Equal("/console/users?q=a", back.Location);
        (await browser.SignIn(admin.Email, admin.Password, "https://elsewhere.example/")).AssertRedirect("/console/users");
    }

    [Fact]
    public async Task An_admin_signed_out_everywhere_is_out_of_the_console_on_the_next_request()
    {
        var (browser, admin) = await ConsoleBrowser.SignedInAdminAsync(factory);
        using var _ = browser;
        (await browser.Get("/console")).AssertRedirect("/console/users");

        var other = Session.From(admin.Email, (await _api.Login(admin.Email, admin.Password)).AssertStatus(HttpStatusCode.OK));
        (await _api.Post($"/api/admin/users/{admin.Id}/sign-out", null, other.Access)).AssertStatus(HttpStatusCode.OK);

        (await browser.Get("/console")).AssertRedirect("/console/signin");
    }

    [Fact]
    public async Task Signing_out_of_the_console_revokes_its_session_so_its_cookie_no_longer_works()
    {
        var admin = await ConsoleBrowser.NewAdminAsync(factory);
        using var browser = ConsoleBrowser.Open(factory);
        var signedIn = (await browser.SignIn(admin.Email, admin.Password)).AssertRedirect("/console/users");
        var cookie = signedIn.SetCookies.Single(c => c.StartsWith("learning-console=", StringComparison.Ordinal)).Split(';')[0];
        (await browser.Get("/console/users")).AssertStatus(HttpStatusCode.OK);

        (await browser.Post("/console/signout")).AssertRedirect("/console/signin");

        // The same cookie replayed (say, copied before signing out) opens nothing: its refresh family is revoked.
        using var replay = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        replay.DefaultRequestHeaders.Add("Cookie", cookie);
        replay.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        using var response = await replay.GetAsync("/console/users");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/signin", response.Headers.Location?.AbsolutePath);
    }
}
