using System.Text.Json;
using Learning.Access;

namespace Learning.Billing;

/// <summary>What one recorded Stripe event asks of this service.</summary>
public abstract record BillingWork(string EventId, string? CustomerId, Guid? UserHint);

/// <summary>A completed checkout: the customer it created belongs to the user who started it.</summary>
public sealed record LinkCustomerWork(string EventId, string NewCustomerId, Guid? UserHint) : BillingWork(EventId, NewCustomerId, UserHint);

public sealed record SubscriptionWork(SubscriptionChange Change, Guid? UserHint) : BillingWork(Change.EventId, Change.CustomerId, UserHint);

public sealed record NoticeWork(BillingNotice Notice, string? CustomerId, Guid? UserHint) : BillingWork(Notice.EventId, CustomerId, UserHint);

/// <summary>A verified event this service does not act on (another type, or a checkout that was not a subscription).</summary>
public sealed record IgnoredWork(string EventId, string Why) : BillingWork(EventId, null, null);

/// <summary>
/// Reads Stripe's event JSON (field names as Stripe's API reference documents them) into work for the users' grains.
/// Parsed here rather than through Stripe.net's typed models, so an event of another API version still reads: only
/// the few fields used are looked at, and where Stripe moved one between versions (the subscription's period end,
/// an invoice's subscription) both places are read. Pure: no clock, no I/O.
/// </summary>
public static class StripeEventTranslator
{
    public const string CheckoutCompleted = "checkout.session.completed";
    public const string SubscriptionCreated = "customer.subscription.created";
    public const string SubscriptionUpdated = "customer.subscription.updated";
    public const string SubscriptionDeleted = "customer.subscription.deleted";

    /// <summary>The event types the contract handles; every other verified event is answered and ignored.</summary>
    public static readonly IReadOnlySet<string> HandledTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        CheckoutCompleted, SubscriptionCreated, SubscriptionUpdated, SubscriptionDeleted,
        BillingNoticeKinds.TrialWillEnd, BillingNoticeKinds.Paid, BillingNoticeKinds.PaymentFailed,
        BillingNoticeKinds.PaymentActionRequired, BillingNoticeKinds.Refunded, BillingNoticeKinds.Disputed,
    };

    /// <summary>The envelope of an event: its id, type and creation time; null when the JSON is not a Stripe event.</summary>
    public static StripeEventHeader? ReadHeader(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && Text(root, "id") is { Length: > 0 } id && Text(root, "type") is { Length: > 0 } type
                   && Unix(root, "created") is { } created
                ? new StripeEventHeader(id, type, created)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static BillingWork Translate(string json, Func<string?, string?> planOfPrice)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var id = Text(root, "id") ?? throw new FormatException("The event has no id.");
        var type = Text(root, "type") ?? "";
        var created = Unix(root, "created") ?? throw new FormatException("The event has no created time.");
        if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The event carries no object.");
        }

        return type switch
        {
            CheckoutCompleted => Checkout(id, obj),
            SubscriptionCreated or SubscriptionUpdated or SubscriptionDeleted =>
                new SubscriptionWork(Subscription(id, created, obj, planOfPrice, type == SubscriptionDeleted), UserOf(obj)),
            BillingNoticeKinds.TrialWillEnd => new NoticeWork(
                new BillingNotice(id, type, created) { SubscriptionId = Text(obj, "id"), TrialEnd = Unix(obj, "trial_end") },
                Text(obj, "customer"), UserOf(obj)),
            BillingNoticeKinds.Paid or BillingNoticeKinds.PaymentFailed or BillingNoticeKinds.PaymentActionRequired =>
                new NoticeWork(Invoice(id, type, created, obj), Text(obj, "customer"), UserOfInvoice(obj)),
            BillingNoticeKinds.Refunded => new NoticeWork(
                new BillingNotice(id, type, created)
                {
                    Amount = Long(obj, "amount_refunded"), Currency = Text(obj, "currency"), ChargeId = Text(obj, "id"),
                    InvoiceId = Text(obj, "invoice"),
                },
                Text(obj, "customer"), UserOf(obj)),
            BillingNoticeKinds.Disputed => new NoticeWork(
                new BillingNotice(id, type, created)
                {
                    Amount = Long(obj, "amount"), Currency = Text(obj, "currency"), ChargeId = Text(obj, "charge"), Reason = Text(obj, "reason"),
                },
                // A dispute names its charge, not the customer (unless the charge was expanded).
                obj.TryGetProperty("charge", out var charge) && charge.ValueKind == JsonValueKind.Object ? Text(charge, "customer") : Text(obj, "customer"),
                UserOf(obj)),
            _ => new IgnoredWork(id, $"event type {type} is not handled"),
        };
    }

    /// <summary>
    /// A subscription object (from an event, or read back from Stripe by reconciliation) as a change. Since API version
    /// 2025-03-31 the period end is on each subscription item; before, on the subscription: the item's wins when present.
    /// </summary>
    public static SubscriptionChange Subscription(
        string eventId, DateTimeOffset eventCreated, JsonElement subscription, Func<string?, string?> planOfPrice, bool deleted)
    {
        JsonElement? item = subscription.TryGetProperty("items", out var items) && items.TryGetProperty("data", out var list)
                            && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? list[0]
            : null;
        var priceId = item is { } i && i.TryGetProperty("price", out var price)
            ? price.ValueKind == JsonValueKind.Object ? Text(price, "id") : price.ValueKind == JsonValueKind.String ? price.GetString() : null
            : null;
        var periodEnd = (item is { } it ? Unix(it, "current_period_end") : null) ?? Unix(subscription, "current_period_end");
        var cancelAtPeriodEnd = subscription.TryGetProperty("cancel_at_period_end", out var cancel) && cancel.ValueKind == JsonValueKind.True;
        // Newer API versions may cancel "at" the period end with cancel_at instead of the flag.
        var cancelAt = Unix(subscription, "cancel_at");
        var status = Text(subscription, "status") ?? SubscriptionStatuses.Incomplete;
        return new SubscriptionChange(
            eventId, eventCreated, Text(subscription, "id") ?? throw new FormatException("The subscription has no id."),
            Text(subscription, "customer") ?? "", status, priceId, periodEnd,
            cancelAtPeriodEnd || (cancelAt is { } at && periodEnd is { } end && at >= end), Unix(subscription, "trial_end"))
        {
            PlanId = planOfPrice(priceId),
            Deleted = deleted,
        };
    }

    private static BillingWork Checkout(string id, JsonElement session)
    {
        if (Text(session, "mode") is { } mode && mode != "subscription")
        {
            return new IgnoredWork(id, $"checkout in {mode} mode");
        }

        var user = Guid.TryParse(Text(session, "client_reference_id"), out var reference) ? reference : UserOf(session);
        return Text(session, "customer") is { Length: > 0 } customer
            ? new LinkCustomerWork(id, customer, user)
            : new IgnoredWork(id, "checkout without a customer");
    }

    private static BillingNotice Invoice(string id, string type, DateTimeOffset created, JsonElement invoice) =>
        new(id, type, created)
        {
            Amount = type == BillingNoticeKinds.Paid ? Long(invoice, "amount_paid") : Long(invoice, "amount_due"),
            Currency = Text(invoice, "currency"),
            InvoiceId = Text(invoice, "id"),
            HostedInvoiceUrl = Text(invoice, "hosted_invoice_url"),
            SubscriptionId = InvoiceSubscription(invoice),
        };

    /// <summary><c>parent.subscription_details.subscription</c> since 2025-03-31, <c>subscription</c> before.</summary>
    private static string? InvoiceSubscription(JsonElement invoice) =>
        invoice.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object
        && parent.TryGetProperty("subscription_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? Text(details, "subscription")
            : Text(invoice, "subscription");

    private static Guid? UserOfInvoice(JsonElement invoice) =>
        invoice.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object
        && parent.TryGetProperty("subscription_details", out var details) && details.ValueKind == JsonValueKind.Object
        && UserOf(details) is { } user
            ? user
            : UserOf(invoice);

    /// <summary>The <c>user_id</c> this service puts in the metadata of the subscriptions its checkouts create.</summary>
    private static Guid? UserOf(JsonElement obj) =>
        obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && Guid.TryParse(Text(metadata, "user_id"), out var user)
            ? user
            : null;

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static DateTimeOffset? Unix(JsonElement obj, string name) =>
        Long(obj, name) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}

public sealed record StripeEventHeader(string Id, string Type, DateTimeOffset Created);
