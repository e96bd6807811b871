using System.Text.RegularExpressions;
using MimeKit;

namespace Learning.FunctionalTests.Accounts;

/// <summary>The messages an SMTP server received from the API, and the links and codes in them.</summary>
public sealed partial class Mailbox(Func<IReadOnlyList<MimeMessage>> received)
{
    public const string VerifySubject = "Confirm your email address";
    public const string ResetSubject = "Reset your password";
    public const string ResetDoneSubject = "Your password was reset";
    public const string PasswordChangedSubject = "Your password was changed";
    public const string LockedSubject = "Your account is locked for a while";
    public const string NewDeviceSubject = "A new device is active on your account";
    public const string DeviceCodeSubject = "Your device confirmation code";

    /// <summary>The messages to <paramref name="address"/> with the subject (and whose text contains <paramref name="mentioning"/>).</summary>
    public IReadOnlyList<MimeMessage> To(string address, string subject, string? mentioning = null) =>
        received().Where(m => m.To.Mailboxes.Any(b => b.Address.Equals(address, StringComparison.OrdinalIgnoreCase)) && m.Subject == subject
                         && (mentioning is null || Text(m).Contains(mentioning, StringComparison.Ordinal)))
            .ToList();

    /// <summary>Waits until <paramref name="address"/> has <paramref name="count"/> messages with the subject; returns them oldest first.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitFor(string address, string subject, int count = 1, string? mentioning = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var found = To(address, subject, mentioning);
            if (found.Count >= count)
            {
                return found.OrderBy(m => m.Date).ToList();
            }

            Assert.True(DateTime.UtcNow < deadline, $"{address} received {found.Count} of {count} messages \"{subject}\"");
            await Task.Delay(50);
        }
    }

    /// <summary>The newest message once it has arrived.</summary>
    public async Task<MimeMessage> Latest(string address, string subject, int count = 1) => (await WaitFor(address, subject, count))[^1];

    /// <summary>Gives the dispatcher a moment, then asserts no more than <paramref name="count"/> such messages were sent.</summary>
    public async Task AssertCount(string address, string subject, int count)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(count, To(address, subject).Count);
    }

    /// <summary>The address of the link in the plain-text part (the HTML part links the same address).</summary>
    public static Uri Link(MimeMessage message)
    {
        var match = LinkPattern().Match(Text(message));
        Assert.True(match.Success, $"No link in: {message.TextBody}");
        return new Uri(match.Value);
    }

    public static string Token(MimeMessage message) => System.Web.HttpUtility.ParseQueryString(Link(message).Query)["token"]!;

    public static string Code(MimeMessage message)
    {
        var match = CodePattern().Match(Text(message));
        Assert.True(match.Success, $"No code in: {message.TextBody}");
        return match.Value;
    }

    public static string Text(MimeMessage message) => message.TextBody ?? "";

    [GeneratedRegex(@"https?://\S+/account/\S+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"(?<![\d-])\d{6}(?![\d-])")]
    private static partial Regex CodePattern();
}
