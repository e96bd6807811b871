using Learning.Email;
using Microsoft.Extensions.Options;

namespace Learning.UnitTests.Email;

public sealed class MailComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private readonly MailComposer _composer = new(Options.Create(new EmailOptions { PublicBaseUrl = "https://learn.test/app" }));

    [Fact]
    public void Verification_links_start_with_the_public_base_url_and_carry_the_token_url_encoded()
    {
        var mail = _composer.VerifyEmail(UserId, "ada@learn.test", "Ada", "abc+/=.x y", Now);

        const string link = "https://learn.test/app/account/verify-email?token=abc%2B%2F%3D.x%20y";
        Assert.Contains(link, mail.TextBody);
        Assert.Contains($"href=\"{link}\"", mail.HtmlBody);
        Assert.Equal(MailKinds.VerifyEmail, mail.Kind);
        Assert.Equal("ada@learn.test", mail.To);
        Assert.Equal(UserId, mail.UserId);
        Assert.Equal(Now, mail.CreatedAt);
    }

    [Fact]
    public void Reset_links_open_the_reset_page()
    {
        var mail = _composer.PasswordReset(UserId, "ada@learn.test", "Ada", "t0ken", Now);

        Assert.Contains("https://learn.test/app/account/reset-password?token=t0ken", mail.TextBody);
        Assert.Contains("30 minutes", mail.TextBody);
        Assert.Equal(MailKinds.PasswordReset, mail.Kind);
    }

    [Fact]
    public void Names_and_device_names_are_html_encoded_in_the_html_part_and_kept_in_the_text_part()
    {
        var mail = _composer.DeviceCode(UserId, "ada@learn.test", "<b>Ada</b> & co", "<script>alert(1)</script>", "042917", Now);

        Assert.DoesNotContain("<script>", mail.HtmlBody);
        Assert.DoesNotContain("<b>Ada</b>", mail.HtmlBody);
        Assert.Contains("&lt;b&gt;Ada&lt;/b&gt; &amp; co", mail.HtmlBody);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", mail.HtmlBody);
        Assert.Contains("Hello <b>Ada</b> & co,", mail.TextBody);
        Assert.Contains("\"<script>alert(1)</script>\"", mail.TextBody);
    }

    [Fact]
    public void A_device_code_is_in_the_body_and_never_in_the_subject()
    {
        var mail = _composer.DeviceCode(UserId, "ada@learn.test", "Ada", "Pixel 9", "042917", Now);

        Assert.Contains("042917", mail.TextBody);
        Assert.Contains("042917", mail.HtmlBody);
        Assert.DoesNotContain("042917", mail.Subject);
    }

    [Fact]
    public void Notices_name_the_time_in_utc()
    {
        var locked = _composer.AccountLocked(UserId, "ada@learn.test", "Ada", Now.AddMinutes(15), Now);
        var device = _composer.NewDeviceActive(UserId, "ada@learn.test", "Ada", "Pixel 9", Now);

        Assert.Contains("until 2026-11-24 10:15 UTC", locked.TextBody);
        Assert.Contains("\"Pixel 9\" became the active device of your account on 2026-11-24 10:00 UTC", device.TextBody);
    }

    [Fact]
    public void Every_mail_has_both_parts_a_subject_its_kind_and_an_id_of_its_own()
    {
        OutgoingMail[] mails =
        [
            _composer.VerifyEmail(UserId, "a@learn.test", "Ada", "t", Now),
            _composer.PasswordReset(UserId, "a@learn.test", "Ada", "t", Now),
            _composer.PasswordResetDone(UserId, "a@learn.test", "Ada", Now),
            _composer.PasswordChanged(UserId, "a@learn.test", "Ada", Now),
            _composer.AccountLocked(UserId, "a@learn.test", "Ada", Now, Now),
            _composer.NewDeviceActive(UserId, "a@learn.test", "Ada", "Pixel", Now),
            _composer.DeviceCode(UserId, "a@learn.test", "Ada", "Pixel", "123456", Now),
        ];

        Assert.Equal(7, mails.Select(m => m.Kind).Distinct().Count());
        Assert.Equal(7, mails.Select(m => m.Id).Distinct().Count());
        Assert.All(mails, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Subject));
            Assert.StartsWith("Hello Ada,", m.TextBody);
            Assert.StartsWith("<!DOCTYPE html>", m.HtmlBody);
        });
    }
}
