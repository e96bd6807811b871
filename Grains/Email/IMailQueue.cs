namespace Learning.Email;

/// <summary>
/// The durable queue between users' grains and SMTP (a PostgreSQL table in production, memory in the embedded
/// default). Grains only enqueue; the mail dispatcher claims, sends, retries with backoff and records failures.
/// </summary>
public interface IMailQueue
{
    /// <summary>Queues the messages; one already queued (same id) is left as it is.</summary>
    Task EnqueueAsync(IReadOnlyCollection<OutgoingMail> mails, CancellationToken cancellationToken = default);
}
