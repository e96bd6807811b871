using System.Net;
using System.Text.Json.Nodes;
using Learning.Billing;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.FunctionalTests.Billing;

/// <summary>Stripe's webhook over HTTP: the signature on the raw body, recording once by event id, processing after the 200.</summary>
[Collection(BillingCollection.Name)]
public sealed class BillingWebhookTests(BillingApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    private async Task<(Session Session, Guid UserId, string Customer)> LinkedUserAsync()
    {
        var session = await _api.SignUp();
        var userId = await BillingApiFactory.UserIdAsync(_api, session);
        var customer = StripeEvents.NewId("cus");
        await factory.ApplyAsync(_api, "checkout.session.completed", StripeEvents.CheckoutSession(userId, customer, StripeEvents.NewId("sub")));
        return (session, userId, customer);
    }

    private async Task<List<JsonNode>> AuditAsync(Session session, string action) =>
        JsonNode.Parse((await _api.Get($"/api/audit-logs?action={action}", session.Access)).AssertStatus(HttpStatusCode.OK).Body)!["results"]!
            .AsArray().Select(e => e!).ToList();

    public static TheoryData<string> BadSignatures => new()
    {
        "missing",
        "wrong-secret",
        "stale",
        "future",
        "garbage",
        "tampered-body",
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_missing_wrong_or_stale_signature_is_400_invalid_signature_and_changes_nothing(string kind)
    {
        var (session, _, customer) = await LinkedUserAsync();
        var body = StripeEvents.Event("invoice.paid", StripeEvents.Invoice(customer, StripeEvents.NewId("sub"), "paid", 1500, 1500),
            factory.Clock.GetUtcNow());
        var now = factory.Clock.GetUtcNow();
        var (sent, signature) = kind switch
        {
            "missing" => (body, ""),
            "wrong-secret" => (body, StripeEvents.Sign(body, "whsec_someone_else", now)),
            "stale" => (body, StripeEvents.Sign(body, BillingApiFactory.WebhookSecret, now.AddMinutes(-5).AddSeconds(-1))),
            "future" => (body, StripeEvents.Sign(body, BillingApiFactory.WebhookSecret, now.AddMinutes(6))),
            "garbage" => (body, "t=abc,v1=zzz"),
            _ => (body.Replace("1500", "1"), StripeEvents.Sign(body, BillingApiFactory.WebhookSecret, now)),
        };

        (await factory.DeliverAsync(_api, sent, signature)).AssertProblem(HttpStatusCode.BadRequest, "invalid_signature");

        Assert.Null(await factory.Events.FindAsync(JsonNode.Parse(body)!["id"]!.GetValue<string>()));
        Assert.Empty(await AuditAsync(session, "payment"));
    }

    [Fact]
    public async Task A_signature_made_4_minutes_ago_by_the_business_clock_is_accepted()
    {
        var body = StripeEvents.Event("customer.created", new JsonObject { ["id"] = StripeEvents.NewId("cus"), ["object"] = "customer" },
            factory.Clock.GetUtcNow());
        var signature = StripeEvents.Sign(body, BillingApiFactory.WebhookSecret, factory.Clock.GetUtcNow().AddMinutes(-4));

        (await factory.DeliverAsync(_api, body, signature)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_same_event_delivered_10_times_at_once_is_recorded_and_applied_once()
    {
        var (session, _, customer) = await LinkedUserAsync();
        var invoice = StripeEvents.Invoice(customer, StripeEvents.NewId("sub"), "paid", 1500, 1500);
        var body = StripeEvents.Event("invoice.paid", invoice, factory.Clock.GetUtcNow());
        var eventId = JsonNode.Parse(body)!["id"]!.GetValue<string>();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => factory.DeliverAsync(_api, body)));

        Assert.All(answers, a => a.AssertStatus(HttpStatusCode.OK));
        await factory.WaitProcessedAsync(eventId);
        (await factory.DeliverAsync(_api, body)).AssertStatus(HttpStatusCode.OK);
        var payment = Assert.Single(await AuditAsync(session, "payment"));
        var metadata = payment["metadata"]!;
        Assert.Equal(1500, metadata["amount"]!.GetValue<long>());
        Assert.Equal("eur", metadata["currency"]!.GetValue<string>());
        Assert.Equal(invoice["id"]!.GetValue<string>(), metadata["invoice_id"]!.GetValue<string>());
        Assert.Equal(1, (await factory.Events.FindAsync(eventId))!.Attempts);
    }

    [Fact]
    public async Task Refunds_and_disputes_are_audited_for_operators()
    {
        var (session, _, customer) = await LinkedUserAsync();
        var charge = StripeEvents.Charge(customer, 1500, 1500);

        await factory.ApplyAsync(_api, "charge.refunded", charge);
        var dispute = StripeEvents.Dispute(charge["id"]!.GetValue<string>(), 1500);
        dispute["charge"] = charge.DeepClone();
        await factory.ApplyAsync(_api, "charge.dispute.created", dispute);

        Assert.Equal(1500, Assert.Single(await AuditAsync(session, "payment_refunded"))["metadata"]!["amount"]!.GetValue<long>());
        Assert.Equal("fraudulent", Assert.Single(await AuditAsync(session, "payment_disputed"))["metadata"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_payment_is_audited()
    {
        var (session, _, customer) = await LinkedUserAsync();

        await factory.ApplyAsync(_api, "invoice.payment_failed", StripeEvents.Invoice(customer, StripeEvents.NewId("sub"), "open", 1500, 0,
            "https://invoice.stripe.com/i/acct_test/test_inv"));

        Assert.Equal(1500, Assert.Single(await AuditAsync(session, "payment_failed"))["metadata"]!["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Other_verified_events_are_answered_and_ignored()
    {
        var body = StripeEvents.Event("customer.updated", new JsonObject { ["id"] = StripeEvents.NewId("cus"), ["object"] = "customer" },
            factory.Clock.GetUtcNow());

        (await factory.DeliverAsync(_api, body)).AssertStatus(HttpStatusCode.OK);
        Assert.Null(await factory.Events.FindAsync(JsonNode.Parse(body)!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_webhook_takes_bodies_over_the_64_KiB_JSON_limit_up_to_its_own_1_MiB()
    {
        static JsonObject Customer(int padding) =>
            new() { ["id"] = StripeEvents.NewId("cus"), ["object"] = "customer", ["description"] = new string('x', padding) };
        var large = StripeEvents.Event("customer.updated", Customer(200_000), factory.Clock.GetUtcNow());
        (await factory.DeliverAsync(_api, large)).AssertStatus(HttpStatusCode.OK);

        var tooLarge = StripeEvents.Event("customer.updated", Customer(1024 * 1024), factory.Clock.GetUtcNow());
        (await factory.DeliverAsync(_api, tooLarge)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task An_event_for_a_customer_nobody_claims_yet_is_retried_with_backoff_until_its_checkout_links_it()
    {
        var session = await _api.SignUp();
        var userId = await BillingApiFactory.UserIdAsync(_api, session);
        var customer = StripeEvents.NewId("cus");
        var paid = StripeEvents.Event("invoice.paid", StripeEvents.Invoice(customer, StripeEvents.NewId("sub"), "paid", 1500, 1500),
            factory.Clock.GetUtcNow());
        var paidId = JsonNode.Parse(paid)!["id"]!.GetValue<string>();
        (await factory.DeliverAsync(_api, paid)).AssertStatus(HttpStatusCode.OK);
        await SmtpMailHost.WaitUntilAsync(async () => (await factory.Events.FindAsync(paidId))?.LastError is not null);

        await factory.ApplyAsync(_api, "checkout.session.completed", StripeEvents.CheckoutSession(userId, customer, StripeEvents.NewId("sub")));
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        factory.Services.GetRequiredService<BillingSignal>().Notify();

        await factory.WaitProcessedAsync(paidId);
        Assert.Single(await AuditAsync(session, "payment"));
    }
}
