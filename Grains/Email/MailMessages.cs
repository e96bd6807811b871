using MimeKit;

namespace Learning.Email;

/// <summary>Turns a queued mail into the MIME message every transport sends.</summary>
public static class MailMessages
{
    public static MimeMessage ToMime(OutgoingMail mail, string from)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = mail.CreatedAt,
            // The same id on every attempt: a relay or mailbox that sees a message twice (at-least-once) can tell.
            MessageId = $"{mail.Id:N}@{sender.Domain}",
            Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody(),
        };
        message.From.Add(sender);
        message.To.Add(MailboxAddress.Parse(mail.To));
        // RFC 3834: no out-of-office replies to a machine.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }
}
