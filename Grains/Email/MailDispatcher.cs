using Learning.Audit;
using Learning.Hosting;
using Learning.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Learning.Email;

/// <summary>
/// Sends queued mail, in every silo: claims due messages with a lease, hands them to the transport one batch per
/// connection, marks each sent (dropping its body) as soon as the relay took it, retries transient failures with
/// capped, jittered backoff, and gives up on a permanent refusal (failed, audited <c>mail_failed</c>). A crash
/// between the relay's acceptance and the mark leaves the lease to expire and the mail goes again: at-least-once.
/// Times come from the business clock, so tests drive backoff and leases with a fake one. Logs name mails by id and
/// kind only: bodies hold tokens and codes.
/// </summary>
public sealed partial class MailDispatcher(
    IMailQueue queue,
    IMailTransport transport,
    IReadModelWriter readModel,
    MailSignal signal,
    [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock,
    IOptions<EmailOptions> options,
    ILogger<MailDispatcher> logger) : BackgroundService
{
    private const int MaxErrorLength = 500;
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private EmailOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogDestination();
        var nextPurge = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch suggests more is due: go on at once; a short one means the queue is drained for now.
                while (await DispatchDueAsync(stoppingToken) >= Options.BatchSize)
                {
                }

                if (clock.GetUtcNow() >= nextPurge)
                {
                    await queue.PurgeSentAsync(clock.GetUtcNow() - Options.SentRetention, stoppingToken);
                    nextPurge = clock.GetUtcNow() + PurgeInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The queue's database is unreachable: nothing is lost, the next poll tries again.
                LogQueueUnavailable(exception);
            }

            await WaitAsync(stoppingToken);
        }
    }

    /// <summary>Claims and sends one batch of due mail; returns how many were claimed (0 after a connection failure).</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var claims = await queue.ClaimDueAsync(Options.BatchSize, clock.GetUtcNow(), Options.Lease, cancellationToken);
        if (claims.Count == 0)
        {
            return 0;
        }

        IMailSession session;
        try
        {
            session = await transport.OpenAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogTransportUnavailable(claims.Count, Describe(exception));
            foreach (var claim in claims)
            {
                await RetryOrGiveUpAsync(claim, Describe(exception), cancellationToken);
            }

            // The relay is down: the rest of the backlog waits for the next poll rather than failing to connect batch by batch.
            return 0;
        }

        var sent = 0;
        try
        {
            await using (session)
            {
                for (; sent < claims.Count; sent++)
                {
                    await SendAsync(session, claims[sent], cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: hand the unsent rest back now instead of leaving it leased until the lease runs out.
            var now = clock.GetUtcNow();
            foreach (var claim in claims.Skip(sent))
            {
                await queue.ScheduleRetryAsync(claim, now, "dispatcher stopped before sending", CancellationToken.None);
            }

            throw;
        }

        return claims.Count;
    }

    private async Task SendAsync(IMailSession session, ClaimedMail claim, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = MailMessages.ToMime(claim.Mail, Options.From);
        }
        catch (ParseException exception)
        {
            await GiveUpAsync(claim, $"invalid address: {exception.Message}", cancellationToken);
            return;
        }

        try
        {
            await session.SendAsync(message, cancellationToken);
        }
        catch (MailDeliveryException exception)
        {
            await GiveUpAsync(claim, Truncate(exception.Message), cancellationToken);
            return;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await RetryOrGiveUpAsync(claim, Describe(exception), cancellationToken);
            return;
        }

        await queue.MarkSentAsync(claim.Mail.Id, clock.GetUtcNow(), cancellationToken);
        LogSent(claim.Mail.Id, claim.Mail.Kind, claim.Attempt);
    }

    private async Task RetryOrGiveUpAsync(ClaimedMail claim, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (MailRetryRules.NextAttempt(claim.Attempt, claim.Mail.CreatedAt, now, Options.Retry, Random.Shared.NextDouble()) is { } next)
        {
            await queue.ScheduleRetryAsync(claim, next, error, cancellationToken);
            LogRetry(claim.Mail.Id, claim.Mail.Kind, claim.Attempt, next, error);
        }
        else
        {
            await GiveUpAsync(claim, Truncate($"gave up after {claim.Attempt} attempts: {error}"), cancellationToken);
        }
    }

    /// <summary>
    /// Audited before it is marked, with the mail's own id as the entry's id: if the mark is lost the mail is tried
    /// and given up again, and the entry is still written once. The metadata names the mail, never its content.
    /// </summary>
    private async Task GiveUpAsync(ClaimedMail claim, string error, CancellationToken cancellationToken)
    {
        var mail = claim.Mail;
        var now = clock.GetUtcNow();
        var metadata = AuditMetadata.Of(("mail_id", mail.Id.ToString()), ("kind", mail.Kind), ("error", error));
        await readModel.WriteAsync(null, [new AuditEntry(mail.Id, mail.UserId, mail.To, AuditActions.MailFailed, null, null, metadata, now)],
            cancellationToken);
        await queue.MarkFailedAsync(claim, now, error, cancellationToken);
        LogFailed(mail.Id, mail.Kind, claim.Attempt, error);
    }

    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(Task.Delay(Options.PollInterval, clock, wait.Token), signal.WaitAsync(wait.Token));
        await wait.CancelAsync();
    }

    private static string Describe(Exception exception) => Truncate($"{exception.GetType().Name}: {exception.Message}");

    private static string Truncate(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];

    private void LogDestination()
    {
        switch (Options.Delivery)
        {
            case MailDelivery.Smtp:
                LogSmtp(Options.Smtp.Host, Options.Smtp.EffectivePort, Options.Smtp.Security);
                break;
            case MailDelivery.PickupDirectory:
                LogPickup(Options.PickupDirectory);
                break;
            default:
                LogDiscard();
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail goes out through SMTP at {SmtpHost}:{SmtpPort} ({SmtpSecurity})")]
    private partial void LogSmtp(string smtpHost, int smtpPort, SmtpSecurity smtpSecurity);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Mail is written as .eml files to {PickupDirectory} (Email:PickupDirectory); open them with any mail program")]
    private partial void LogPickup(string pickupDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail is discarded (Email:Discard=true): nothing is delivered")]
    private partial void LogDiscard();

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {MailId} ({MailKind}) sent on attempt {Attempt}")]
    private partial void LogSent(Guid mailId, string mailKind, int attempt);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Mail {MailId} ({MailKind}) attempt {Attempt} failed, next attempt at {NextAttemptAt}: {MailError}")]
    private partial void LogRetry(Guid mailId, string mailKind, int attempt, DateTimeOffset nextAttemptAt, string mailError);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MailId} ({MailKind}) failed for good after {Attempt} attempt(s): {MailError}")]
    private partial void LogFailed(Guid mailId, string mailKind, int attempt, string mailError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail relay unavailable, {MailCount} message(s) wait for a retry: {MailError}")]
    private partial void LogTransportUnavailable(int mailCount, string mailError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail queue unavailable; trying again at the next poll")]
    private partial void LogQueueUnavailable(Exception exception);
}
