using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Learning.Email;

/// <summary>
/// The platform's mails in plain text and HTML. Names and device names come from users, so the HTML part encodes
/// them; links start with <see cref="EmailOptions.PublicBaseUrl"/> and carry their token URL-encoded. The
/// lifetimes named in the wording are the contract's (spec "Email and account recovery", "Device confirmation").
/// </summary>
public sealed class MailComposer(IOptions<EmailOptions> options) : IMailComposer
{
    public const string VerifyEmailPath = "/account/verify-email";
    public const string ResetPasswordPath = "/account/reset-password";

    private string BaseUrl => options.Value.PublicBaseUrl;

    public OutgoingMail VerifyEmail(Guid userId, string to, string fullName, string token, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.VerifyEmail, now, "Confirm your email address", fullName,
            Paragraph("Please confirm that this is your email address by opening the link below. The link is valid for 24 hours."),
            Button("Confirm my email address", Link(VerifyEmailPath, token)),
            Paragraph("If you did not create an account, you can ignore this message."));

    public OutgoingMail PasswordReset(Guid userId, string to, string fullName, string token, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.PasswordReset, now, "Reset your password", fullName,
            Paragraph("Someone, hopefully you, asked to reset the password of your account. Open the link below to choose a new "
                      + "password. The link is valid for 30 minutes and works once."),
            Button("Choose a new password", Link(ResetPasswordPath, token)),
            Paragraph("If you did not ask for this, ignore this message: your password stays as it is."));

    public OutgoingMail PasswordResetDone(Guid userId, string to, string fullName, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.PasswordResetDone, now, "Your password was reset", fullName,
            Paragraph($"The password of your account was reset on {Time(now)}, and every device was signed out."),
            Paragraph("If this was not you, request a new password reset right away."));

    public OutgoingMail PasswordChanged(Guid userId, string to, string fullName, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.PasswordChanged, now, "Your password was changed", fullName,
            Paragraph($"The password of your account was changed on {Time(now)}. Your other devices were signed out."),
            Paragraph("If this was not you, reset your password right away."));

    public OutgoingMail AccountLocked(Guid userId, string to, string fullName, DateTimeOffset lockedUntil, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.AccountLocked, now, "Your account is locked for a while", fullName,
            Paragraph($"After several failed sign-in attempts, your account refuses every sign-in until {Time(lockedUntil)}."),
            Paragraph("If these attempts were not yours, someone may know your email address: choose a strong password that you "
                      + "use nowhere else."));

    public OutgoingMail NewDeviceActive(Guid userId, string to, string fullName, string deviceName, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.NewDevice, now, "A new device is active on your account", fullName,
            Paragraph("The device ", Quoted(deviceName), $" became the active device of your account on {Time(now)}."),
            Paragraph("If this was not you, change your password right away."));

    public OutgoingMail DeviceCode(Guid userId, string to, string fullName, string deviceName, string code, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.DeviceCode, now, "Your device confirmation code", fullName,
            Paragraph("Enter this code to confirm the device ", Quoted(deviceName), ":"),
            new Block(code, $"<p style=\"font-size:24px;font-weight:bold;letter-spacing:4px\">{Encode(code)}</p>"),
            Paragraph("The code is valid for 5 minutes. If you did not try to use a new device, change your password right away."));

    public OutgoingMail TrialEnding(Guid userId, string to, string fullName, DateTimeOffset? trialEnd, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.TrialEnding, now, "Your trial ends soon", fullName,
            Paragraph(trialEnd is { } end
                ? $"Your free trial ends on {Time(end)}. Your subscription then continues and the first payment is taken."
                : "Your free trial ends soon. Your subscription then continues and the first payment is taken."),
            Paragraph("To change your plan or cancel before then, open the billing page of your account."));

    public OutgoingMail PaymentFailed(Guid userId, string to, string fullName, long? amount, string? currency, DateTimeOffset now) =>
        Compose(userId, to, MailKinds.PaymentFailed, now, "Your payment did not go through", fullName,
            Paragraph(amount is { } value && currency is { Length: > 0 }
                ? $"We could not take the payment of {Money(value, currency)} for your subscription."
                : "We could not take the payment for your subscription."),
            Paragraph("Your access continues for a few days while the payment is retried. Please update your payment method on "
                      + "the billing page of your account."));

    public OutgoingMail PaymentActionRequired(Guid userId, string to, string fullName, string? hostedInvoiceUrl, DateTimeOffset now) =>
        hostedInvoiceUrl is { Length: > 0 } url
            ? Compose(userId, to, MailKinds.PaymentActionRequired, now, "Please confirm your payment", fullName,
                Paragraph("Your bank asks you to confirm the payment for your subscription. Open the link below to confirm it."),
                Button("Confirm the payment", url))
            : Compose(userId, to, MailKinds.PaymentActionRequired, now, "Please confirm your payment", fullName,
                Paragraph("Your bank asks you to confirm the payment for your subscription. Open the billing page of your account "
                          + "to confirm it."));

    /// <summary>Stripe counts in the currency's smallest unit; two decimals fit the currencies plans are sold in.</summary>
    private static string Money(long amount, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount / 100m:0.00} {currency.ToUpperInvariant()}");

    private string Link(string path, string token) => $"{BaseUrl}{path}?token={Uri.EscapeDataString(token)}";

    /// <summary>Ids are made with the mail, so the grain that stores it with its change hands it over idempotently.</summary>
    private static OutgoingMail Compose(
        Guid userId, string to, string kind, DateTimeOffset now, string subject, string fullName, params Block[] blocks)
    {
        var text = new StringBuilder().Append("Hello ").Append(fullName).Append(",\n\n");
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5;color:#222\">")
            .Append("<p>Hello ").Append(Encode(fullName)).Append(",</p>");
        foreach (var block in blocks)
        {
            text.Append(block.Text).Append("\n\n");
            html.Append(block.Html);
        }

        text.Append("-- \nOrleans.Learning\n");
        html.Append("<p style=\"color:#666\">Orleans.Learning</p></body></html>");
        return new OutgoingMail(Guid.CreateVersion7(now), userId, to, kind, subject, text.ToString(), html.ToString(), now);
    }

    private static Block Paragraph(string text) => new(text, $"<p>{Encode(text)}</p>");

    private static Block Paragraph(string before, Block quoted, string after) =>
        new(before + quoted.Text + after, $"<p>{Encode(before)}{quoted.Html}{Encode(after)}</p>");

    private static Block Quoted(string userText) => new($"\"{userText}\"", $"&ldquo;{Encode(userText)}&rdquo;");

    /// <summary>A link shown as a button, and written out in full below it for mail clients that hide buttons.</summary>
    private static Block Button(string label, string url) => new(url,
        $"<p><a href=\"{Encode(url)}\" style=\"display:inline-block;padding:10px 18px;background:#2457d6;color:#fff;"
        + $"text-decoration:none;border-radius:4px\">{Encode(label)}</a></p>"
        + $"<p style=\"font-size:13px;color:#666\">Or open this link: <a href=\"{Encode(url)}\">{Encode(url)}</a></p>");

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private sealed record Block(string Text, string Html);
}
