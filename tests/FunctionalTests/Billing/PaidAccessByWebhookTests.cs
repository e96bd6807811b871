using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Learning.Email;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.FunctionalTests.Billing;

/// <summary>Billing in <c>Access:Mode=subscription</c>, with a two-minute past-due grace so a grace fits between heartbeats.</summary>
public sealed class PaidAccessApiFactory : BillingApiFactory
{
    protected override string AccessMode => "subscription";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Billing:PastDueGrace", "00:02:00")];
}

[CollectionDefinition(Name)]
public sealed class PaidAccessCollection : ICollectionFixture<PaidAccessApiFactory>
{
    public const string Name = "paid-access";
}

/// <summary>
/// End to end through Stripe's webhook: signed events over HTTP, recorded, processed after the 200, applied by the user's
/// grain, and seen by the client in <c>GET /api/subscription</c>, at the start gate and on live sessions.
/// </summary>
[Collection(PaidAccessCollection.Name)]
public sealed class PaidAccessByWebhookTests(PaidAccessApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    private sealed record Subscriber(Session Session, string Device, Guid UserId, string Customer, string SubscriptionId);

    private async Task<Subscriber> SubscriberAsync()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var userId = await BillingApiFactory.UserIdAsync(_api, session);
        var customer = StripeEvents.NewId("cus");
        var subscription = StripeEvents.NewId("sub");
        await factory.ApplyAsync(_api, "checkout.session.completed", StripeEvents.CheckoutSession(userId, customer, subscription));
        return new Subscriber(session, device, userId, customer, subscription);
    }

    private JsonObject Subscription(Subscriber s, string status, DateTimeOffset? periodEnd = null, bool cancelAtPeriodEnd = false,
        DateTimeOffset? trialEnd = null) =>
        StripeEvents.Subscription(s.SubscriptionId, s.Customer, status, BillingApiFactory.MonthlyPrice,
            periodEnd ?? factory.Clock.GetUtcNow().AddDays(30), s.UserId, cancelAtPeriodEnd, trialEnd);

    private async Task<JsonElement> SubscriptionViewAsync(Session session) =>
        (await _api.Get("/api/subscription", session.Access)).AssertStatus(HttpStatusCode.OK).Json;

    private async Task<string> PaidLessonAsync()
    {
        var course = (await _api.Get("/api/courses")).Json[0].GetProperty("id").GetString();
        return (await _api.Get($"/api/courses/{course}")).Json.GetProperty("lessons").EnumerateArray()
            .First(l => !l.GetProperty("free_preview").GetBoolean()).GetProperty("id").GetString()!;
    }

    private async Task<string> StartAsync(Subscriber s, string lesson) =>
        (await _api.StartVideo(s.Session, lesson, s.Device)).AssertStatus(HttpStatusCode.Created).Json.GetProperty("session_token").GetString()!;

    private async Task<IReadOnlyList<string>> MailKindsAsync(Guid userId) =>
        (await factory.Services.GetRequiredService<IMailQueue>().ListAsync(null, 200, null)).Results
        .Where(m => m.UserId == userId).Select(m => m.Kind).ToList();

    [Fact]
    public async Task A_subscription_created_by_webhook_gives_access_with_the_plan_and_period_end_from_its_item()
    {
        var s = await SubscriberAsync();
        var periodEnd = DateTimeOffset.FromUnixTimeSeconds(factory.Clock.GetUtcNow().AddDays(30).ToUnixTimeSeconds());
        (await _api.StartVideo(s.Session, await PaidLessonAsync(), s.Device)).AssertProblem(HttpStatusCode.Forbidden, "subscription_required");

        await factory.ApplyAsync(_api, "customer.subscription.created", Subscription(s, "active", periodEnd));

        var view = await SubscriptionViewAsync(s.Session);
        Assert.Equal("active", view.GetProperty("status").GetString());
        Assert.Equal("monthly", view.GetProperty("plan_id").GetString());
        Assert.Equal(periodEnd.UtcDateTime, view.GetProperty("current_period_end").GetDateTime());
        Assert.True(view.GetProperty("access").GetProperty("has_access").GetBoolean());
        await StartAsync(s, await PaidLessonAsync());
    }

    [Fact]
    public async Task Updated_delivered_before_created_ends_in_the_newer_state()
    {
        var s = await SubscriberAsync();
        var created = factory.Clock.GetUtcNow().AddSeconds(-10);
        var createdEvent = StripeEvents.Event("customer.subscription.created", Subscription(s, "incomplete"), created);
        var updatedEvent = StripeEvents.Event("customer.subscription.updated", Subscription(s, "active"), created.AddSeconds(2));

        (await factory.DeliverAsync(_api, updatedEvent)).AssertStatus(HttpStatusCode.OK);
        await factory.WaitProcessedAsync(IdOf(updatedEvent));
        (await factory.DeliverAsync(_api, createdEvent)).AssertStatus(HttpStatusCode.OK);
        await factory.WaitProcessedAsync(IdOf(createdEvent));

        Assert.Equal("active", (await SubscriptionViewAsync(s.Session)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failed_payment_mails_the_user_keeps_access_through_the_grace_then_ends_the_live_session()
    {
        var s = await SubscriberAsync();
        await factory.ApplyAsync(_api, "customer.subscription.created", Subscription(s, "active"));
        var token = await StartAsync(s, await PaidLessonAsync());
        var firstPastDue = factory.Clock.GetUtcNow();

        await factory.ApplyAsync(_api, "invoice.payment_failed",
            StripeEvents.Invoice(s.Customer, s.SubscriptionId, "open", 1500, 0, "https://invoice.stripe.com/i/acct_test/test_inv"));
        await factory.ApplyAsync(_api, "customer.subscription.updated", Subscription(s, "past_due"));

        Assert.Contains(MailKinds.PaymentFailed, await MailKindsAsync(s.UserId));
        Assert.Equal("past_due", (await SubscriptionViewAsync(s.Session)).GetProperty("status").GetString());
        factory.Clock.SetUtcNow(firstPastDue.AddSeconds(60));
        (await _api.Heartbeat(s.Session, token, 50)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.SetUtcNow(firstPastDue.AddSeconds(110));
        (await _api.Heartbeat(s.Session, token, 90)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.SetUtcNow(firstPastDue.AddMinutes(2).AddSeconds(1));

        var beat = (await _api.Heartbeat(s.Session, token, 120)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("access_ended", beat.Json.GetProperty("reason").GetString());
        (await _api.StartVideo(s.Session, await PaidLessonAsync(), s.Device)).AssertProblem(HttpStatusCode.Forbidden, "subscription_required");
    }

    [Fact]
    public async Task Cancel_at_period_end_keeps_access_until_the_period_end()
    {
        var s = await SubscriberAsync();
        var periodEnd = DateTimeOffset.FromUnixTimeSeconds(factory.Clock.GetUtcNow().AddSeconds(100).ToUnixTimeSeconds());
        await factory.ApplyAsync(_api, "customer.subscription.created", Subscription(s, "active", periodEnd));
        var token = await StartAsync(s, await PaidLessonAsync());

        await factory.ApplyAsync(_api, "customer.subscription.updated", Subscription(s, "active", periodEnd, cancelAtPeriodEnd: true),
            factory.Clock.GetUtcNow().AddSeconds(1));

        Assert.True((await SubscriptionViewAsync(s.Session)).GetProperty("cancel_at_period_end").GetBoolean());
        factory.Clock.SetUtcNow(periodEnd.AddSeconds(-30));
        (await _api.Heartbeat(s.Session, token, 50)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.SetUtcNow(periodEnd);
        var beat = (await _api.Heartbeat(s.Session, token, 80)).AssertProblem(HttpStatusCode.Gone, "session_expired");
        Assert.Equal("access_ended", beat.Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_trial_is_offered_once_and_checkout_is_409_while_subscribed()
    {
        var s = await SubscriberAsync();
        var checkout = new
        {
            plan_id = "monthly", success_url = BillingApiFactory.AppOrigin + "/done", cancel_url = BillingApiFactory.AppOrigin + "/billing",
        };
        await factory.ApplyAsync(_api, "customer.subscription.created",
            Subscription(s, "trialing", trialEnd: factory.Clock.GetUtcNow().AddDays(14)));

        (await _api.Post("/api/billing/checkout", checkout, s.Session.Access)).AssertProblem(HttpStatusCode.Conflict, "already_subscribed");

        await factory.ApplyAsync(_api, "customer.subscription.trial_will_end",
            Subscription(s, "trialing", trialEnd: factory.Clock.GetUtcNow().AddDays(3)), factory.Clock.GetUtcNow().AddSeconds(1));
        Assert.Contains(MailKinds.TrialEnding, await MailKindsAsync(s.UserId));
        await factory.ApplyAsync(_api, "customer.subscription.deleted", Subscription(s, "canceled"), factory.Clock.GetUtcNow().AddSeconds(2));

        (await _api.Post("/api/billing/checkout", checkout, s.Session.Access)).AssertStatus(HttpStatusCode.Created);
        var sent = factory.Stripe.RequestsTo("/v1/checkout/sessions").Single(r => r["client_reference_id"] == s.UserId.ToString());
        Assert.Null(sent["subscription_data[trial_period_days]"]);
        Assert.Equal(s.Customer, sent["customer"]);
    }

    [Fact]
    public async Task A_payment_needing_the_customers_action_mails_the_hosted_invoice_link()
    {
        var s = await SubscriberAsync();
        const string link = "https://invoice.stripe.com/i/acct_test/test_action";

        await factory.ApplyAsync(_api, "invoice.payment_action_required", StripeEvents.Invoice(s.Customer, s.SubscriptionId, "open", 1500, 0, link));

        Assert.Contains(MailKinds.PaymentActionRequired, await MailKindsAsync(s.UserId));
    }

    [Fact]
    public async Task Twenty_starts_racing_a_deletion_webhook_leave_no_session_playing()
    {
        var s = await SubscriberAsync();
        await factory.ApplyAsync(_api, "customer.subscription.created", Subscription(s, "active"));
        var lesson = await PaidLessonAsync();
        var deletion = StripeEvents.Event("customer.subscription.deleted", Subscription(s, "canceled"), factory.Clock.GetUtcNow().AddSeconds(1));

        var starts = Enumerable.Range(0, 20)
            .Select(_ => _api.Post("/api/video/start", new { lesson_id = lesson, device_id = s.Device, takeover = true }, s.Session.Access))
            .ToList();
        var delivered = factory.DeliverAsync(_api, deletion);
        var answers = await Task.WhenAll(starts);
        (await delivered).AssertStatus(HttpStatusCode.OK);
        await factory.WaitProcessedAsync(IdOf(deletion));

        Assert.All(answers, r => Assert.True(r.Status is HttpStatusCode.Created || r.Error == "subscription_required", r.Body));
        foreach (var started in answers.Where(r => r.Status == HttpStatusCode.Created))
        {
            var token = started.Json.GetProperty("session_token").GetString()!;
            Assert.Equal(HttpStatusCode.Gone, (await _api.Heartbeat(s.Session, token, 1)).Status);
        }

        (await _api.StartVideo(s.Session, lesson, s.Device)).AssertProblem(HttpStatusCode.Forbidden, "subscription_required");
    }

    [Fact]
    public async Task Reconciliation_reads_the_subscription_back_from_Stripe_and_applies_it()
    {
        var s = await SubscriberAsync();
        var admin = Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));
        (await _api.Post($"/api/admin/users/{s.UserId}/billing/reconcile", null, s.Session.Access)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await _api.Post($"/api/admin/users/{s.UserId}/billing/reconcile", null, admin.Access)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("none", (await SubscriptionViewAsync(s.Session)).GetProperty("status").GetString());

        // The webhook was lost; Stripe has the subscription.
        factory.Stripe.PutSubscription(Subscription(s, "active"));
        var reconciled = (await _api.Post($"/api/admin/users/{s.UserId}/billing/reconcile/", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("active", reconciled.Json.GetProperty("status").GetString());
        Assert.Equal(s.SubscriptionId, reconciled.Json.GetProperty("subscription_id").GetString());
        Assert.Equal("active", (await SubscriptionViewAsync(s.Session)).GetProperty("status").GetString());
        var listed = factory.Stripe.RequestsTo("/v1/subscriptions").Last();
        Assert.Equal(s.Customer, listed.Query["customer"]);
        Assert.Equal("all", listed.Query["status"]);
        var stranger = Guid.NewGuid();
        (await _api.Post($"/api/admin/users/{stranger}/billing/reconcile", null, admin.Access)).AssertProblem(HttpStatusCode.NotFound, "user_not_found");
    }

    private static string IdOf(string body) => JsonNode.Parse(body)!["id"]!.GetValue<string>();
}
