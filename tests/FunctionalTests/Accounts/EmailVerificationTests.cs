using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

[Collection(EmailCollection.Name)]
public sealed class EmailVerificationTests(EmailApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    private Mailbox Mail => factory.Mailbox;

    [Fact]
    public async Task Registration_mails_a_link_whose_page_verifies_the_email_once()
    {
        var session = await _api.SignUp();
        Assert.False((await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("email_verified").GetBoolean());
        var link = Mailbox.Link(await Mail.Latest(session.Email, Mailbox.VerifySubject));
        Assert.Equal("http://localhost/account/verify-email", link.GetLeftPart(UriPartial.Path));
        var browser = new AccountPageClient(factory.CreateClient());

        var page = (await browser.Open(link)).AssertStatus(HttpStatusCode.OK);
        (await browser.Open(link)).AssertStatus(HttpStatusCode.OK);
        Assert.False((await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("email_verified").GetBoolean());

        (await browser.Submit(page)).AssertStatus(HttpStatusCode.OK);

        Assert.True((await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("email_verified").GetBoolean());
        var audited = (await _api.Get("/api/audit-logs?action=email_verified", session.Access)).Json.GetProperty("results");
        Assert.Single(audited.EnumerateArray());
        (await browser.Submit(page)).AssertStatus(HttpStatusCode.BadRequest);
        (await _api.VerifyEmail(Mailbox.Token(await Mail.Latest(session.Email, Mailbox.VerifySubject))))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_token");
    }

    [Fact]
    public async Task The_json_route_verifies_with_the_mailed_token()
    {
        var session = await _api.SignUp();
        var token = Mailbox.Token(await Mail.Latest(session.Email, Mailbox.VerifySubject));

        var answer = (await _api.VerifyEmail(token)).AssertStatus(HttpStatusCode.OK);

        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("message").GetString()));
        Assert.True((await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("email_verified").GetBoolean());
    }

    [Fact]
    public async Task A_new_link_is_mailed_at_most_once_a_minute_and_earlier_links_keep_working()
    {
        var session = await _api.SignUp();
        var first = Mailbox.Token(await Mail.Latest(session.Email, Mailbox.VerifySubject));
        factory.Clock.Advance(TimeSpan.FromSeconds(20));

        var tooSoon = (await _api.Post("/api/auth/verify-email/request", null, session.Access))
            .AssertProblem(HttpStatusCode.TooManyRequests, "resend_too_soon");
        Assert.Equal("40", tooSoon.Headers.RetryAfter!.ToString());

        factory.Clock.Advance(TimeSpan.FromSeconds(40));
        (await _api.Post("/api/auth/verify-email/request", null, session.Access)).AssertStatus(HttpStatusCode.Accepted);
        await Mail.WaitFor(session.Email, Mailbox.VerifySubject, count: 2);

        (await _api.VerifyEmail(first)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_verified_account_asking_again_gets_202_and_no_mail()
    {
        var session = await _api.SignUp();
        (await _api.VerifyEmail(Mailbox.Token(await Mail.Latest(session.Email, Mailbox.VerifySubject)))).AssertStatus(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));

        (await _api.Post("/api/auth/verify-email/request", null, session.Access)).AssertStatus(HttpStatusCode.Accepted);

        await Mail.AssertCount(session.Email, Mailbox.VerifySubject, 1);
    }

    [Fact]
    public async Task A_verification_link_stops_working_after_24_hours()
    {
        var session = await _api.SignUp();
        var token = Mailbox.Token(await Mail.Latest(session.Email, Mailbox.VerifySubject));

        factory.Clock.Advance(TimeSpan.FromHours(24));

        (await _api.VerifyEmail(token)).AssertProblem(HttpStatusCode.BadRequest, "invalid_token");
    }

    [Fact]
    public async Task A_verification_token_does_not_reset_a_password()
    {
        var session = await _api.SignUp();
        var token = Mailbox.Token(await Mail.Latest(session.Email, Mailbox.VerifySubject));

        (await _api.Reset(token, "velvet-harbour-quince-49")).AssertProblem(HttpStatusCode.BadRequest, "invalid_token");
        (await _api.VerifyEmail(token)).AssertStatus(HttpStatusCode.OK);
    }
}
