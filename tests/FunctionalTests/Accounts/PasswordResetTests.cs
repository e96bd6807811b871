using System.Net;
using Learning.Api.Seeding;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

[Collection(EmailCollection.Name)]
public sealed class PasswordResetTests(EmailApiFactory factory)
{
    private const string NewPassword = "velvet-harbour-quince-49";

    private readonly ApiClient _api = factory.CreateApiClient();

    private Mailbox Mail => factory.Mailbox;

    [Fact]
    public async Task The_demo_student_resets_the_password_by_following_the_mailed_link()
    {
        var demo = new DemoOptions();
        (await _api.RequestReset(demo.StudentEmail)).AssertStatus(HttpStatusCode.Accepted);

        var mail = await Mail.Latest(demo.StudentEmail, Mailbox.ResetSubject);
        var link = Mailbox.Link(mail);
        Assert.Equal("http://localhost/account/reset-password", link.GetLeftPart(UriPartial.Path));
        var browser = new AccountPageClient(factory.CreateClient());
        // Opening the link twice (a mail scanner, then the user) uses nothing up.
        await browser.Open(link);
        var page = (await browser.Open(link)).AssertStatus(HttpStatusCode.OK);
        Assert.Contains("name=\"new_password\"", page.Html);
        Assert.Contains(page.HiddenFields, f => f.Key == "token" && f.Value == Mailbox.Token(mail));
        Assert.Equal(2, page.HiddenFields.Count);
        Assert.Contains("form-action 'self'", page.ContentSecurityPolicy);
        Assert.DoesNotContain("script", page.ContentSecurityPolicy);

        var done = (await browser.Submit(page, ("new_password", NewPassword), ("confirm_password", NewPassword))).AssertStatus(HttpStatusCode.OK);

        Assert.Contains("Password changed", done.Html);
        (await _api.Login(demo.StudentEmail, NewPassword)).AssertStatus(HttpStatusCode.OK);
        (await _api.Login(demo.StudentEmail, demo.StudentPassword)).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        await Mail.WaitFor(demo.StudentEmail, Mailbox.ResetDoneSubject);
        (await browser.Submit(page, ("new_password", NewPassword + "-again"), ("confirm_password", NewPassword + "-again")))
            .AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_changes_nothing()
    {
        var session = await _api.SignUp();
        await _api.RequestReset(session.Email);
        var link = Mailbox.Link(await Mail.Latest(session.Email, Mailbox.ResetSubject));
        var page = (await new AccountPageClient(factory.CreateClient()).Open(link)).AssertStatus(HttpStatusCode.OK);

        // Another browser (no antiforgery cookie) posts a copy of the form, as a cross-site form would.
        var forged = page.HiddenFields.Append(KeyValuePair.Create("new_password", NewPassword)).Append(KeyValuePair.Create("confirm_password", NewPassword));
        using var response = await factory.CreateClient().PostAsync(page.FormAction, new FormUrlEncodedContent(forged));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        (await _api.Login(session.Email)).AssertStatus(HttpStatusCode.OK);
        (await _api.Reset(Mailbox.Token(await Mail.Latest(session.Email, Mailbox.ResetSubject)), NewPassword)).AssertStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_reset_signs_out_every_session_clears_the_lockout_mails_a_notice_and_is_audited()
    {
        var session = await _api.SignUp();
        var other = Session.From(session.Email, (await _api.Login(session.Email)).AssertStatus(HttpStatusCode.OK));
        for (var i = 0; i < 5; i++)
        {
            await _api.Login(session.Email, "wrong-password-0");
        }

        (await _api.Login(session.Email)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");
        (await _api.RequestReset(session.Email)).AssertStatus(HttpStatusCode.Accepted);
        var token = Mailbox.Token(await Mail.Latest(session.Email, Mailbox.ResetSubject));

        (await _api.Reset(token, NewPassword)).AssertStatus(HttpStatusCode.NoContent);

        (await _api.Get("/api/auth/me", session.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Get("/api/auth/me", other.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Post("/api/auth/refresh", new { refresh = other.Refresh })).AssertStatus(HttpStatusCode.Unauthorized);
        var fresh = Session.From(session.Email, (await _api.Login(session.Email, NewPassword)).AssertStatus(HttpStatusCode.OK));
        await Mail.WaitFor(session.Email, Mailbox.ResetDoneSubject);
        var reset = (await _api.Get("/api/audit-logs?action=password_reset", fresh.Access)).Json.GetProperty("results");
        Assert.Equal(2, Assert.Single(reset.EnumerateArray()).GetProperty("metadata").GetProperty("sessions_revoked").GetInt32());
        var requested = (await _api.Get("/api/audit-logs?action=password_reset_requested", fresh.Access)).Json.GetProperty("results");
        Assert.True(Assert.Single(requested.EnumerateArray()).GetProperty("metadata").GetProperty("mail_sent").GetBoolean());
    }

    [Fact]
    public async Task With_two_reset_links_in_flight_only_the_newest_works_and_only_once()
    {
        var session = await _api.SignUp();
        await _api.RequestReset(session.Email);
        // The request is handled after the answer: the clock moves only once the first link was sent.
        await Mail.WaitFor(session.Email, Mailbox.ResetSubject);
        factory.Clock.Advance(TimeSpan.FromSeconds(61));
        await _api.RequestReset(session.Email);
        var mails = await Mail.WaitFor(session.Email, Mailbox.ResetSubject, count: 2);
        var (older, newer) = (Mailbox.Token(mails[0]), Mailbox.Token(mails[1]));

        (await _api.Reset(older, NewPassword)).AssertProblem(HttpStatusCode.BadRequest, "invalid_token");
        (await _api.Reset(newer, NewPassword)).AssertStatus(HttpStatusCode.NoContent);
        (await _api.Reset(newer, NewPassword + "-2")).AssertProblem(HttpStatusCode.BadRequest, "invalid_token");
        (await _api.Login(session.Email, NewPassword)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_reset_link_stops_working_after_30_minutes()
    {
        var session = await _api.SignUp();
        await _api.RequestReset(session.Email);
        var token = Mailbox.Token(await Mail.Latest(session.Email, Mailbox.ResetSubject));

        factory.Clock.Advance(TimeSpan.FromMinutes(30));

        (await _api.Reset(token, NewPassword)).AssertProblem(HttpStatusCode.BadRequest, "invalid_token");
    }

    [Fact]
    public async Task A_weak_new_password_is_refused_and_the_link_still_works()
    {
        var session = await _api.SignUp();
        await _api.RequestReset(session.Email);
        var token = Mailbox.Token(await Mail.Latest(session.Email, Mailbox.ResetSubject));

        var refused = (await _api.Reset(token, "password1")).AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        Assert.True(refused.Json.GetProperty("errors").TryGetProperty("new_password", out _));
        (await _api.Reset(token, NewPassword)).AssertStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Over_the_per_account_limit_a_reset_request_still_answers_202_and_sends_nothing()
    {
        var session = await _api.SignUp();
        var answers = new List<ApiResponse>();
        for (var minute = 0; minute < 6; minute++)
        {
            // Two requests a minute: the second is over the one-a-minute limit; the sixth minute is over five an hour.
            answers.Add(await _api.RequestReset(session.Email));
            answers.Add(await _api.RequestReset(session.Email));
            // Requests are handled after their answer: the clock moves only once both were.
            await RequestsHandled(session, 2 * (minute + 1));
            factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.All(answers, a => a.AssertStatus(HttpStatusCode.Accepted));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        await Mail.WaitFor(session.Email, Mailbox.ResetSubject, count: 5);
        await Mail.AssertCount(session.Email, Mailbox.ResetSubject, 5);
        var requested = await RequestsHandled(session, 12);
        Assert.Equal(7, requested.Count(e => !e.GetProperty("metadata").GetProperty("mail_sent").GetBoolean()));
    }

    /// <summary>Waits until <paramref name="count"/> reset requests of the user are audited; returns their entries.</summary>
    private async Task<IReadOnlyList<System.Text.Json.JsonElement>> RequestsHandled(Session session, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var entries = (await _api.Get("/api/audit-logs?action=password_reset_requested", session.Access))
                .AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
            if (entries.Count >= count)
            {
                return entries;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{entries.Count} of {count} reset requests were handled");
            await Task.Delay(50);
        }
    }
}
