namespace Learning.Billing;

/// <summary>A verified Stripe event as it was received: its raw JSON is kept so processing reads exactly what Stripe signed.</summary>
public sealed record ReceivedStripeEvent(string Id, string Type, DateTimeOffset Created, string Payload, DateTimeOffset ReceivedAt);

/// <summary>An event claimed for processing; <see cref="Attempt"/> counts claims, so a stale processor's update is ignored.</summary>
public sealed record ClaimedStripeEvent(ReceivedStripeEvent Event, int Attempt);

public enum StripeEventStatus
{
    Pending,
    Processed,
    Failed,
}

public sealed record StripeEventRecord(string Id, string Type, StripeEventStatus Status, int Attempts, DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt, string? LastError);

/// <summary>
/// The durable record of Stripe's webhook events (PostgreSQL in production, memory in the embedded default). The webhook
/// records an event before answering 200, once by id; processors of every instance claim due events with a lease, so one
/// at a time applies an event, and a crash leaves the lease to expire and the event to be processed again.
/// </summary>
public interface IBillingEventStore
{
    /// <summary>Records the event; false when an event of that id was recorded before (it is left as it is).</summary>
    Task<bool> RecordAsync(ReceivedStripeEvent received, CancellationToken cancellationToken = default);

    /// <summary>Claims up to <paramref name="max"/> pending events due at <paramref name="now"/> and not leased, oldest first.</summary>
    Task<IReadOnlyList<ClaimedStripeEvent>> ClaimDueAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default);

    Task MarkProcessedAsync(ClaimedStripeEvent claim, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Releases the claim until <paramref name="nextAttemptAt"/>; ignored if the event was claimed again since.</summary>
    Task ScheduleRetryAsync(ClaimedStripeEvent claim, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default);

    Task MarkFailedAsync(ClaimedStripeEvent claim, DateTimeOffset at, string error, CancellationToken cancellationToken = default);

    Task<StripeEventRecord?> FindAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>Which user a Stripe customer belongs to; it survives restarts with the event store.</summary>
public interface ICustomerMap
{
    /// <summary>Links the customer to the user; a customer already linked keeps its first user.</summary>
    Task LinkAsync(string customerId, Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<Guid?> FindUserAsync(string customerId, CancellationToken cancellationToken = default);
}

/// <summary>Wakes the processor of this process when the webhook recorded an event, instead of waiting for the next poll.</summary>
public sealed class BillingSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every event recorded since.
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);
}
