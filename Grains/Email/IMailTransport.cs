using MimeKit;

namespace Learning.Email;

/// <summary>Where messages go: an SMTP relay, a pickup folder, or nowhere.</summary>
public interface IMailTransport
{
    /// <summary>A session for one batch (for SMTP: one connection, signed in). Any failure here is transient.</summary>
    Task<IMailSession> OpenAsync(CancellationToken cancellationToken);
}

public interface IMailSession : IAsyncDisposable
{
    /// <summary>
    /// Hands one message over. Throws <see cref="MailDeliveryException"/> with <c>Permanent</c> when the server refused
    /// this message for good; any other exception is transient (retried).
    /// </summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>A refusal that sending again will not change (an SMTP 5xx for the recipient or the message).</summary>
public sealed class MailDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
