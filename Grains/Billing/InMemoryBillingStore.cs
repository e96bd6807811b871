namespace Learning.Billing;

/// <summary>The event store and customer map of the embedded default: they live as long as the process, like its grain state.</summary>
public sealed class InMemoryBillingStore : IBillingEventStore, ICustomerMap
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _customers = new(StringComparer.Ordinal);

    public Task<bool> RecordAsync(ReceivedStripeEvent received, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_events.TryAdd(received.Id, new Entry(received) { NextAttemptAt = received.ReceivedAt }));
        }
    }

    public Task<IReadOnlyList<ClaimedStripeEvent>> ClaimDueAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var claimed = _events.Values
                .Where(e => e.Status == StripeEventStatus.Pending && e.NextAttemptAt <= now && !(e.LockedUntil > now))
                .OrderBy(e => e.Event.Created).ThenBy(e => e.Event.ReceivedAt).ThenBy(e => e.Event.Id, StringComparer.Ordinal)
                .Take(max)
                .Select(e =>
                {
                    e.Attempts++;
                    e.LockedUntil = now + lease;
                    return new ClaimedStripeEvent(e.Event, e.Attempts);
                })
                .ToList();
            return Task.FromResult<IReadOnlyList<ClaimedStripeEvent>>(claimed);
        }
    }

    public Task MarkProcessedAsync(ClaimedStripeEvent claim, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Update(claim, e => e.Finish(StripeEventStatus.Processed, at, null));

    public Task ScheduleRetryAsync(ClaimedStripeEvent claim, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default) =>
        Update(claim, e =>
        {
            e.NextAttemptAt = nextAttemptAt;
            e.LockedUntil = null;
            e.LastError = error;
        });

    public Task MarkFailedAsync(ClaimedStripeEvent claim, DateTimeOffset at, string error, CancellationToken cancellationToken = default) =>
        Update(claim, e => e.Finish(StripeEventStatus.Failed, at, error));

    public Task<StripeEventRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_events.TryGetValue(id, out var e)
                ? new StripeEventRecord(id, e.Event.Type, e.Status, e.Attempts, e.Event.ReceivedAt, e.ProcessedAt, e.LastError)
                : null);
        }
    }

    public Task LinkAsync(string customerId, Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _customers.TryAdd(customerId, userId);
        }

        return Task.CompletedTask;
    }

    public Task<Guid?> FindUserAsync(string customerId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<Guid?>(_customers.TryGetValue(customerId, out var user) ? user : null);
        }
    }

    private Task Update(ClaimedStripeEvent claim, Action<Entry> change)
    {
        lock (_gate)
        {
            if (_events.TryGetValue(claim.Event.Id, out var entry) && entry.Status == StripeEventStatus.Pending && entry.Attempts == claim.Attempt)
            {
                change(entry);
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Entry(ReceivedStripeEvent received)
    {
        public ReceivedStripeEvent Event { get; } = received;

        public StripeEventStatus Status { get; private set; }

        public int Attempts { get; set; }

        public DateTimeOffset NextAttemptAt { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }

        public DateTimeOffset? ProcessedAt { get; private set; }

        public string? LastError { get; set; }

        public void Finish(StripeEventStatus status, DateTimeOffset at, string? error)
        {
            Status = status;
            ProcessedAt = at;
            LastError = error;
            LockedUntil = null;
        }
    }
}
