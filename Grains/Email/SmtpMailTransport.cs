using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Learning.Email;

/// <summary>
/// SMTP through MailKit, one connection per batch. Only a 5xx refusal of the recipient or of the message is permanent:
/// connection failures, timeouts and 4xx answers are transient, and so is a 5xx refusal of the sender or of the
/// sign-in, which is this service's configuration (fixing it sends the waiting mail) rather than the message's fault.
/// </summary>
public sealed class SmtpMailTransport(IOptions<EmailOptions> options) : IMailTransport
{
    public async Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.EffectivePort, SocketOptions(smtp.Security), cancellationToken);
            if (smtp.Username.Length > 0)
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password, cancellationToken);
            }

            return new Session(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static bool IsPermanent(SmtpCommandException exception) =>
        (int)exception.StatusCode >= 500 && exception.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted;

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    private sealed class Session(SmtpClient client) : IMailSession
    {
        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            try
            {
                await client.SendAsync(message, cancellationToken);
            }
            catch (SmtpCommandException exception) when (IsPermanent(exception))
            {
                throw new MailDeliveryException($"{(int)exception.StatusCode} {exception.Message}", exception);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await client.DisconnectAsync(quit: true, quit.Token);
                }
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or MailKit.ProtocolException
                                                  or SmtpCommandException)
            {
                // Every message of the batch already has its outcome; a failed goodbye changes none of them.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
