using System.Text.Json;
using System.Text.Json.Nodes;
using Learning.Access;
using Learning.Billing;

namespace Learning.UnitTests.Billing;

/// <summary>Stripe's event JSON, field names as its API reference documents them, read into work for the users' grains.</summary>
public sealed class StripeEventTranslatorTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
    private static readonly Guid User = Guid.Parse("6d1f3c3e-1f0a-4f43-9d4c-2b1f6a7e8c90");

    private static string PlanOf(string? price) => price == "price_monthly" ? "monthly" : "other";

    private static string Event(string type, JsonObject data) => new JsonObject
    {
        ["id"] = "evt_1", ["object"] = "event", ["api_version"] = "2025-11-17.clover", ["created"] = Created.ToUnixTimeSeconds(),
        ["data"] = new JsonObject { ["object"] = data.DeepClone() }, ["livemode"] = false, ["type"] = type,
    }.ToJsonString();

    private static JsonObject Subscription(JsonObject? extra = null)
    {
        var subscription = new JsonObject
        {
            ["id"] = "sub_1", ["object"] = "subscription", ["customer"] = "cus_1", ["status"] = "active",
            ["cancel_at_period_end"] = false, ["cancel_at"] = null, ["trial_end"] = null,
            ["metadata"] = new JsonObject { ["user_id"] = User.ToString() },
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "si_1", ["object"] = "subscription_item", ["current_period_end"] = 1_792_000_000,
                    ["price"] = new JsonObject { ["id"] = "price_monthly", ["object"] = "price" },
                }),
            },
        };
        foreach (var (key, value) in extra ?? [])
        {
            subscription[key] = value?.DeepClone();
        }

        return subscription;
    }

    [Fact]
    public void A_subscription_event_reads_the_period_end_and_price_from_its_item_and_maps_the_price_to_a_plan()
    {
        var work = Assert.IsType<SubscriptionWork>(StripeEventTranslator.Translate(Event("customer.subscription.updated", Subscription()), PlanOf));

        var change = work.Change;
        Assert.Equal(("evt_1", Created, "sub_1", "cus_1", "active"), (change.EventId, change.EventCreated, change.SubscriptionId, change.CustomerId, change.Status));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_792_000_000), change.CurrentPeriodEnd);
        Assert.Equal(("price_monthly", "monthly"), (change.PriceId, change.PlanId));
        Assert.False(change.Deleted);
        Assert.Equal(User, work.UserHint);
    }

    [Fact]
    public void An_older_api_version_with_the_period_end_on_the_subscription_still_reads()
    {
        var old = Subscription(new JsonObject { ["current_period_end"] = 1_791_000_000 });
        old["items"]!["data"]![0]!.AsObject().Remove("current_period_end");

        var work = Assert.IsType<SubscriptionWork>(StripeEventTranslator.Translate(Event("customer.subscription.created", old), PlanOf));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_791_000_000), work.Change.CurrentPeriodEnd);
    }

    [Fact]
    public void A_deleted_subscription_is_marked_deleted_and_cancel_at_the_period_end_counts_as_cancel_at_period_end()
    {
        var deleted = Assert.IsType<SubscriptionWork>(StripeEventTranslator.Translate(
            Event("customer.subscription.deleted", Subscription(new JsonObject { ["status"] = "canceled" })), PlanOf));
        var cancelAt = Assert.IsType<SubscriptionWork>(StripeEventTranslator.Translate(
            Event("customer.subscription.updated", Subscription(new JsonObject { ["cancel_at"] = 1_792_000_000 })), PlanOf));

        Assert.True(deleted.Change.Deleted);
        Assert.True(cancelAt.Change.CancelAtPeriodEnd);
    }

    [Fact]
    public void A_completed_subscription_checkout_links_its_customer_to_the_client_reference()
    {
        var session = new JsonObject
        {
            ["id"] = "cs_1", ["object"] = "checkout.session", ["mode"] = "subscription", ["client_reference_id"] = User.ToString(),
            ["customer"] = "cus_9", ["subscription"] = "sub_9",
        };

        var work = Assert.IsType<LinkCustomerWork>(StripeEventTranslator.Translate(Event("checkout.session.completed", session), PlanOf));

        Assert.Equal(("cus_9", User), (work.NewCustomerId, work.UserHint));
        session["mode"] = "payment";
        Assert.IsType<IgnoredWork>(StripeEventTranslator.Translate(Event("checkout.session.completed", session), PlanOf));
    }

    [Theory]
    [InlineData("invoice.paid", 1500L)]
    [InlineData("invoice.payment_failed", 2000L)]
    [InlineData("invoice.payment_action_required", 2000L)]
    public void Invoices_carry_their_amount_currency_id_hosted_link_and_subscription(string type, long amount)
    {
        var invoice = new JsonObject
        {
            ["id"] = "in_1", ["object"] = "invoice", ["customer"] = "cus_1", ["currency"] = "eur", ["amount_paid"] = 1500, ["amount_due"] = 2000,
            ["hosted_invoice_url"] = "https://invoice.stripe.com/i/x",
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["subscription_details"] = new JsonObject { ["subscription"] = "sub_1", ["metadata"] = new JsonObject { ["user_id"] = User.ToString() } },
            },
        };

        var work = Assert.IsType<NoticeWork>(StripeEventTranslator.Translate(Event(type, invoice), PlanOf));

        var notice = work.Notice;
        Assert.Equal((type, amount, "eur", "in_1", "sub_1"), (notice.Kind, notice.Amount!.Value, notice.Currency, notice.InvoiceId, notice.SubscriptionId));
        Assert.Equal("https://invoice.stripe.com/i/x", notice.HostedInvoiceUrl);
        Assert.Equal(("cus_1", User), (work.CustomerId, work.UserHint));
    }

    [Fact]
    public void Refunds_and_disputes_carry_the_amount_and_charge_and_a_dispute_finds_the_customer_on_an_expanded_charge()
    {
        var refund = Assert.IsType<NoticeWork>(StripeEventTranslator.Translate(Event("charge.refunded", new JsonObject
        {
            ["id"] = "ch_1", ["object"] = "charge", ["customer"] = "cus_1", ["currency"] = "eur", ["amount"] = 1500, ["amount_refunded"] = 500,
        }), PlanOf));
        var dispute = Assert.IsType<NoticeWork>(StripeEventTranslator.Translate(Event("charge.dispute.created", new JsonObject
        {
            ["id"] = "dp_1", ["object"] = "dispute", ["amount"] = 1500, ["currency"] = "eur", ["reason"] = "fraudulent",
            ["charge"] = new JsonObject { ["id"] = "ch_1", ["customer"] = "cus_1" },
        }), PlanOf));

        Assert.Equal((500L, "ch_1", "cus_1"), (refund.Notice.Amount!.Value, refund.Notice.ChargeId, refund.CustomerId));
        Assert.Equal(("fraudulent", "cus_1"), (dispute.Notice.Reason, dispute.CustomerId));
    }

    [Fact]
    public void Other_event_types_are_ignored_and_a_header_needs_id_type_and_created()
    {
        Assert.IsType<IgnoredWork>(StripeEventTranslator.Translate(Event("customer.updated", new JsonObject { ["id"] = "cus_1" }), PlanOf));
        Assert.Equal(new StripeEventHeader("evt_1", "invoice.paid", Created),
            StripeEventTranslator.ReadHeader(Event("invoice.paid", new JsonObject())));
        Assert.Null(StripeEventTranslator.ReadHeader("""{"id":"evt_1","type":"invoice.paid"}"""));
        Assert.Null(StripeEventTranslator.ReadHeader("not json"));
        Assert.Throws<FormatException>(() => StripeEventTranslator.Translate("""{"id":"evt_1","type":"invoice.paid","created":1}""", PlanOf));
        Assert.ThrowsAny<JsonException>(() => StripeEventTranslator.Translate("{", PlanOf));
    }

    [Fact]
    public void A_subscription_without_items_or_status_reads_with_what_it_has()
    {
        var bare = new JsonObject { ["id"] = "sub_2", ["object"] = "subscription", ["customer"] = "cus_2" };
        using var document = JsonDocument.Parse(bare.ToJsonString());

        var change = StripeEventTranslator.Subscription("reconcile:1", Created, document.RootElement, PlanOf, deleted: false);

        Assert.Equal((SubscriptionStatuses.Incomplete, (string?)null, (DateTimeOffset?)null), (change.Status, change.PriceId, change.CurrentPeriodEnd));
    }
}
