using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Learning.TestSupport;

/// <summary>
/// Stripe events and the objects inside them, shaped as Stripe's API reference documents them (Event, Checkout Session,
/// Subscription with <c>items.data[].current_period_end</c>, Invoice with <c>parent.subscription_details</c>, Charge,
/// Dispute), and Stripe's webhook signature: <c>t=…,v1=…</c>, HMAC-SHA256 with the endpoint secret over <c>"{t}.{body}"</c>.
/// </summary>
public static class StripeEvents
{
    public const string ApiVersion = "2025-11-17.clover";

    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public static string Event(string type, JsonObject data, DateTimeOffset created, string? id = null) => new JsonObject
    {
        ["id"] = id ?? NewId("evt"),
        ["object"] = "event",
        ["api_version"] = ApiVersion,
        ["created"] = created.ToUnixTimeSeconds(),
        ["data"] = new JsonObject { ["object"] = data },
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = type,
    }.ToJsonString();

    public static JsonObject CheckoutSession(Guid userId, string customerId, string subscriptionId) => new()
    {
        ["id"] = NewId("cs_test"),
        ["object"] = "checkout.session",
        ["client_reference_id"] = userId.ToString(),
        ["customer"] = customerId,
        ["livemode"] = false,
        ["metadata"] = new JsonObject { ["user_id"] = userId.ToString() },
        ["mode"] = "subscription",
        ["payment_status"] = "paid",
        ["status"] = "complete",
        ["subscription"] = subscriptionId,
        ["url"] = null,
    };

    public static JsonObject Subscription(
        string id, string customerId, string status, string priceId, DateTimeOffset periodEnd, Guid? userId = null,
        bool cancelAtPeriodEnd = false, DateTimeOffset? trialEnd = null, DateTimeOffset? created = null)
    {
        var start = periodEnd.AddMonths(-1);
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["billing_cycle_anchor"] = start.ToUnixTimeSeconds(),
            ["cancel_at"] = cancelAtPeriodEnd ? periodEnd.ToUnixTimeSeconds() : null,
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["canceled_at"] = null,
            ["collection_method"] = "charge_automatically",
            ["created"] = (created ?? start).ToUnixTimeSeconds(),
            ["currency"] = "eur",
            ["customer"] = customerId,
            ["ended_at"] = status == "canceled" ? periodEnd.ToUnixTimeSeconds() : null,
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = NewId("si"),
                    ["object"] = "subscription_item",
                    ["created"] = start.ToUnixTimeSeconds(),
                    ["current_period_end"] = periodEnd.ToUnixTimeSeconds(),
                    ["current_period_start"] = start.ToUnixTimeSeconds(),
                    ["metadata"] = new JsonObject(),
                    ["price"] = new JsonObject
                    {
                        ["id"] = priceId,
                        ["object"] = "price",
                        ["active"] = true,
                        ["currency"] = "eur",
                        ["product"] = "prod_test_learning",
                        ["recurring"] = new JsonObject { ["interval"] = "month", ["interval_count"] = 1, ["usage_type"] = "licensed" },
                        ["type"] = "recurring",
                        ["unit_amount"] = 1500,
                    },
                    ["quantity"] = 1,
                    ["subscription"] = id,
                }),
                ["has_more"] = false,
                ["url"] = $"/v1/subscription_items?subscription={id}",
            },
            ["livemode"] = false,
            ["metadata"] = userId is { } user ? new JsonObject { ["user_id"] = user.ToString() } : new JsonObject(),
            ["start_date"] = start.ToUnixTimeSeconds(),
            ["status"] = status,
            ["trial_end"] = trialEnd?.ToUnixTimeSeconds(),
            ["trial_start"] = trialEnd is { } end ? end.AddDays(-14).ToUnixTimeSeconds() : null,
        };
    }

    public static JsonObject Invoice(string customerId, string subscriptionId, string status, long amountDue, long amountPaid,
        string? hostedInvoiceUrl = null) => new()
        {
            ["id"] = NewId("in"),
            ["object"] = "invoice",
            ["amount_due"] = amountDue,
            ["amount_paid"] = amountPaid,
            ["amount_remaining"] = amountDue - amountPaid,
            ["attempt_count"] = 1,
            ["billing_reason"] = "subscription_cycle",
            ["collection_method"] = "charge_automatically",
            ["currency"] = "eur",
            ["customer"] = customerId,
            ["hosted_invoice_url"] = hostedInvoiceUrl,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["parent"] = new JsonObject
            {
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscriptionId },
                ["type"] = "subscription_details",
            },
            ["status"] = status,
        };

    public static JsonObject Charge(string customerId, long amount, long amountRefunded) => new()
    {
        ["id"] = NewId("ch"),
        ["object"] = "charge",
        ["amount"] = amount,
        ["amount_captured"] = amount,
        ["amount_refunded"] = amountRefunded,
        ["captured"] = true,
        ["currency"] = "eur",
        ["customer"] = customerId,
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["paid"] = true,
        ["refunded"] = amountRefunded >= amount,
        ["status"] = "succeeded",
    };

    public static JsonObject Dispute(string chargeId, long amount) => new()
    {
        ["id"] = NewId("dp"),
        ["object"] = "dispute",
        ["amount"] = amount,
        ["charge"] = chargeId,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["currency"] = "eur",
        ["is_charge_refundable"] = false,
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["payment_intent"] = NewId("pi"),
        ["reason"] = "fraudulent",
        ["status"] = "needs_response",
    };

    /// <summary>The <c>Stripe-Signature</c> header Stripe would send for <paramref name="body"/> at <paramref name="at"/>.</summary>
    public static string Sign(string body, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
