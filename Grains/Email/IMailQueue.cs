using Learning.ReadModel;

namespace Learning.Email;

/// <summary>
/// The durable queue between users' grains and SMTP (a PostgreSQL table in production, memory in the embedded
/// default). Grains only enqueue; the mail dispatcher claims, sends, retries with backoff and records failures.
/// Operators list what is queued, sent and failed.
/// </summary>
public interface IMailQueue
{
    /// <summary>Queues the messages, due at once; one already queued (same id) is left as it is.</summary>
    Task EnqueueAsync(IReadOnlyCollection<OutgoingMail> mails, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> queued messages that are due at <paramref name="now"/> and not leased by another
    /// dispatcher: each is leased until <paramref name="now"/> + <paramref name="lease"/> and its attempt is counted.
    /// </summary>
    Task<IReadOnlyList<ClaimedMail>> ClaimDueAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Records the delivery and drops the body (tokens and codes live only until sent). Repeating it changes nothing.</summary>
    Task MarkSentAsync(Guid id, DateTimeOffset sentAt, CancellationToken cancellationToken = default);

    /// <summary>Releases the claim until <paramref name="nextAttemptAt"/>; ignored if the mail was claimed again since.</summary>
    Task ScheduleRetryAsync(ClaimedMail claim, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Gives the mail up for good and drops its body; ignored if the mail was claimed again since.</summary>
    Task MarkFailedAsync(ClaimedMail claim, DateTimeOffset failedAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Deletes sent mail sent before <paramref name="sentBefore"/>; failed mail stays for operators.</summary>
    Task<int> PurgeSentAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken = default);

    /// <summary>Mail newest first (all, or of one status), without bodies.</summary>
    Task<Page<MailRecord>> ListAsync(MailStatus? status, int limit, PageCursor? cursor, CancellationToken cancellationToken = default);
}
