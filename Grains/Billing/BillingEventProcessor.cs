using System.Security.Cryptography;
using System.Text;
using Learning.Access;
using Learning.Audit;
using Learning.Common;
using Learning.Hosting;
using Learning.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Learning.Billing;

/// <summary>
/// Applies recorded Stripe events to the users' grains, in every silo: claims due events with a lease (two instances
/// never work on one event at the same time), applies each, and retries a failure with capped, jittered backoff. The
/// grains are idempotent by event id, so an event applied twice (a crash between applying and marking it) changes
/// nothing the second time. Times come from the business clock, so tests drive backoff and leases with a fake one.
/// </summary>
public sealed partial class BillingEventProcessor(
    IBillingEventStore store,
    ICustomerMap customers,
    IGrainFactory grains,
    IReadModelWriter readModel,
    BillingSignal signal,
    [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock,
    IOptions<BillingOptions> options,
    ILogger<BillingEventProcessor> logger) : BackgroundService
{
    private const int MaxErrorLength = 500;

    /// <summary>The audit entries and logs name what changed a user's billing state.</summary>
    public static readonly ClientInfo WebhookClient = new(null, "stripe-webhook");

    private BillingProcessingOptions Processing => options.Value.Processing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ProcessDueAsync(stoppingToken) >= Processing.BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The store is unreachable: the events wait there, the next poll tries again.
                LogStoreUnavailable(exception);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                await Task.WhenAny(Task.Delay(Processing.PollInterval, clock, wait.Token), signal.WaitAsync(wait.Token));
            }
            finally
            {
                await wait.CancelAsync();
            }
        }
    }

    /// <summary>Claims and processes one batch of due events; returns how many were claimed.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var claims = await store.ClaimDueAsync(Processing.BatchSize, clock.GetUtcNow(), Processing.Lease, cancellationToken);
        foreach (var claim in claims)
        {
            await ProcessAsync(claim, cancellationToken);
        }

        return claims.Count;
    }

    private async Task ProcessAsync(ClaimedStripeEvent claim, CancellationToken cancellationToken)
    {
        var received = claim.Event;
        BillingWork work;
        try
        {
            work = StripeEventTranslator.Translate(received.Payload, price => options.Value.PlanByPrice(price)?.Id);
        }
        catch (Exception exception) when (exception is FormatException or System.Text.Json.JsonException)
        {
            // Signed by Stripe but not what its reference describes: no retry will read it better.
            await store.MarkFailedAsync(claim, clock.GetUtcNow(), Truncate(exception.Message), cancellationToken);
            LogUnreadable(received.Id, received.Type, exception.Message);
            return;
        }

        try
        {
            var outcome = await ApplyAsync(work, cancellationToken);
            await store.MarkProcessedAsync(claim, clock.GetUtcNow(), cancellationToken);
            LogProcessed(received.Id, received.Type, claim.Attempt, outcome);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var error = Truncate($"{exception.GetType().Name}: {exception.Message}");
            var now = clock.GetUtcNow();
            if (BillingRetryRules.NextAttempt(claim.Attempt, now, Processing, Random.Shared.NextDouble()) is { } next)
            {
                await store.ScheduleRetryAsync(claim, next, error, cancellationToken);
                LogRetry(received.Id, received.Type, claim.Attempt, next, error);
            }
            else
            {
                await store.MarkFailedAsync(claim, now, error, cancellationToken);
                LogGaveUp(received.Id, received.Type, claim.Attempt, error);
            }
        }
    }

    private async Task<string> ApplyAsync(BillingWork work, CancellationToken cancellationToken)
    {
        if (work is IgnoredWork ignored)
        {
            return ignored.Why;
        }

        if (work is LinkCustomerWork link)
        {
            if (link.UserHint is not { } owner)
            {
                return "checkout names no user of this service";
            }

            await LinkAsync(link.NewCustomerId, owner, link.EventId, cancellationToken);
            return $"customer linked to user {owner}";
        }

        var user = await UserOfAsync(work, cancellationToken);
        switch (work)
        {
            case SubscriptionWork subscription when user is { } id:
                Check(await grains.GetGrain<IUserAccessGrain>(id).ApplySubscription(subscription.Change, WebhookClient));
                return $"subscription {subscription.Change.SubscriptionId} ({subscription.Change.Status}) applied to user {id}";
            case NoticeWork notice when user is { } id:
                Check(await grains.GetGrain<IUserBillingGrain>(id).RecordBillingNotice(notice.Notice));
                return $"{notice.Notice.Kind} recorded for user {id}";
            case NoticeWork { Notice.Kind: BillingNoticeKinds.Disputed or BillingNoticeKinds.Refunded } orphan:
                // A dispute names a charge, not a customer: operators still see it, without a user.
                await AuditWithoutUserAsync(orphan.Notice, cancellationToken);
                return $"{orphan.Notice.Kind} audited without a user (customer {orphan.CustomerId ?? "unknown"})";
            default:
                // Its checkout may not be processed yet: the retry finds the customer linked.
                throw new InvalidOperationException($"customer {work.CustomerId ?? "(none)"} belongs to no known user yet");
        }
    }

    /// <summary>The user of a customer: the map, else the <c>user_id</c> our checkout put in the metadata (then linked).</summary>
    private async Task<Guid?> UserOfAsync(BillingWork work, CancellationToken cancellationToken)
    {
        if (work.CustomerId is { Length: > 0 } customer && await customers.FindUserAsync(customer, cancellationToken) is { } known)
        {
            return known;
        }

        if (work.UserHint is { } hinted && work.CustomerId is { Length: > 0 } unlinked)
        {
            await LinkAsync(unlinked, hinted, work.EventId, cancellationToken);
        }

        return work.UserHint;
    }

    private async Task LinkAsync(string customerId, Guid userId, string eventId, CancellationToken cancellationToken)
    {
        await customers.LinkAsync(customerId, userId, clock.GetUtcNow(), cancellationToken);
        Check(await grains.GetGrain<IUserBillingGrain>(userId).LinkCustomer(customerId, eventId));
    }

    private async Task AuditWithoutUserAsync(BillingNotice notice, CancellationToken cancellationToken)
    {
        var action = notice.Kind == BillingNoticeKinds.Disputed ? AuditActions.PaymentDisputed : AuditActions.PaymentRefunded;
        var metadata = AuditMetadata.Of(("event_id", notice.EventId), ("charge_id", notice.ChargeId), ("amount", notice.Amount),
            ("currency", notice.Currency), ("reason", notice.Reason));
        // The entry's id comes from the event's, so processing the event again writes it once.
        await readModel.WriteAsync(null, [new AuditEntry(IdOf(notice.EventId), null, null, action, null, WebhookClient.UserAgent, metadata,
            clock.GetUtcNow())], cancellationToken);
    }

    private static Guid IdOf(string eventId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("stripe-event:" + eventId), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>A refusal that may pass (the user's outbox is full) is retried; any other is logged and the event is done.</summary>
    private void Check(Result<Done> result)
    {
        if (result.Error is { Code: ErrorCodes.ServiceUnavailable } busy)
        {
            throw new InvalidOperationException(busy.Message);
        }

        if (result.Error is { } refused)
        {
            LogRefused(refused.Code, refused.Message);
        }
    }

    private static string Truncate(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) processed on attempt {Attempt}: {Outcome}")]
    private partial void LogProcessed(string eventId, string eventType, int attempt, string outcome);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Stripe event {EventId} ({EventType}) attempt {Attempt} failed, next attempt at {NextAttemptAt}: {BillingError}")]
    private partial void LogRetry(string eventId, string eventType, int attempt, DateTimeOffset nextAttemptAt, string billingError);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Stripe event {EventId} ({EventType}) given up after {Attempt} attempt(s): {BillingError}; reconcile the user")]
    private partial void LogGaveUp(string eventId, string eventType, int attempt, string billingError);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe event {EventId} ({EventType}) cannot be read: {BillingError}")]
    private partial void LogUnreadable(string eventId, string eventType, string billingError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A user's grain refused a Stripe event ({ErrorCode}): {ErrorMessage}")]
    private partial void LogRefused(string errorCode, string errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The billing event store is unavailable; trying again at the next poll")]
    private partial void LogStoreUnavailable(Exception exception);
}
