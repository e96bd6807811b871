using Learning.Email;
using Microsoft.Extensions.Options;

namespace Learning.UnitTests.Billing;

/// <summary>The billing mails: trial ending, payment failed, and payment needing the customer's action (with Stripe's link).</summary>
public sealed class BillingMailTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private readonly MailComposer _composer = new(Options.Create(new EmailOptions { PublicBaseUrl = "https://learn.test" }));

    [Fact]
    public void The_trial_ending_mail_names_the_end()
    {
        var mail = _composer.TrialEnding(UserId, "ada@learn.test", "Ada", Now.AddDays(3), Now);

        Assert.Equal(MailKinds.TrialEnding, mail.Kind);
        Assert.Contains("2026-12-05 10:00 UTC", mail.TextBody);
    }

    [Fact]
    public void The_payment_failed_mail_names_the_amount_in_the_currencys_units()
    {
        var mail = _composer.PaymentFailed(UserId, "ada@learn.test", "Ada", 1550, "eur", Now);

        Assert.Equal(MailKinds.PaymentFailed, mail.Kind);
        Assert.Contains("15.50 EUR", mail.TextBody);
    }

    [Fact]
    public void The_action_required_mail_links_the_hosted_invoice_page_html_encoded()
    {
        const string link = "https://invoice.stripe.com/i/acct_1/test_x?s=a&t=b";
        var mail = _composer.PaymentActionRequired(UserId, "ada@learn.test", "Ada", link, Now);

        Assert.Equal(MailKinds.PaymentActionRequired, mail.Kind);
        Assert.Contains(link, mail.TextBody);
        Assert.Contains("href=\"https://invoice.stripe.com/i/acct_1/test_x?s=a&amp;t=b\"", mail.HtmlBody);
        Assert.DoesNotContain("invoice.stripe.com", _composer.PaymentActionRequired(UserId, "ada@learn.test", "Ada", null, Now).TextBody);
    }
}
