using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Learning.Billing;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.FunctionalTests.Billing;

/// <summary>The API with Stripe billing configured against a local stand-in of Stripe's API, and helpers to deliver webhooks.</summary>
public class BillingApiFactory : LearningApiFactory, IAsyncLifetime
{
    public const string WebhookSecret = "whsec_test_0123456789abcdef";
    public const string MonthlyPrice = "price_test_monthly";
    public const string YearlyPrice = "price_test_yearly";
    public const string AppOrigin = "https://app.learn.test";

    public FakeStripe Stripe { get; private set; } = null!;

    public async Task InitializeAsync() => Stripe = await FakeStripe.StartAsync();

    protected virtual string AccessMode => "open";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Access:Mode", AccessMode),
        new("Billing:SecretKey", "sk_test_stand_in"),
        new("Billing:WebhookSecret", WebhookSecret),
        new("Billing:ApiBase", Stripe.ApiBase),
        new("Billing:AllowedRedirectOrigins:0", AppOrigin),
        new("Billing:Plans:0:Id", "monthly"),
        new("Billing:Plans:0:Name", "Monthly"),
        new("Billing:Plans:0:Interval", "month"),
        new("Billing:Plans:0:Amount", "1500"),
        new("Billing:Plans:0:Currency", "eur"),
        new("Billing:Plans:0:TrialDays", "14"),
        new("Billing:Plans:0:PriceId", MonthlyPrice),
        new("Billing:Plans:1:Id", "yearly"),
        new("Billing:Plans:1:Name", "Yearly"),
        new("Billing:Plans:1:Interval", "year"),
        new("Billing:Plans:1:Amount", "15000"),
        new("Billing:Plans:1:Currency", "eur"),
        new("Billing:Plans:1:PriceId", YearlyPrice),
    ];

    public IBillingEventStore Events => Services.GetRequiredService<IBillingEventStore>();

    /// <summary>Delivers <paramref name="body"/> as Stripe would, signed now (by the business clock) unless told otherwise.</summary>
    public async Task<ApiResponse> DeliverAsync(ApiClient api, string body, string? signature = null)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = content };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature ?? StripeEvents.Sign(body, WebhookSecret, Clock.GetUtcNow()));
        using var response = await api.Http.SendAsync(request);
        return await ApiResponse.Read(response);
    }

    /// <summary>Delivers a signed event (200) and waits until the processor has applied it.</summary>
    public async Task<string> ApplyAsync(ApiClient api, string type, JsonObject data, DateTimeOffset? created = null)
    {
        var body = StripeEvents.Event(type, data, created ?? Clock.GetUtcNow());
        (await DeliverAsync(api, body)).AssertStatus(HttpStatusCode.OK);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        await WaitProcessedAsync(id);
        return id;
    }

    public Task WaitProcessedAsync(string eventId) =>
        SmtpMailHost.WaitUntilAsync(async () => (await Events.FindAsync(eventId))?.Status == StripeEventStatus.Processed);

    public static async Task<Guid> UserIdAsync(ApiClient api, Session session) =>
        Guid.Parse((await api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString()!);

    Task IAsyncLifetime.DisposeAsync() => Stripe.DisposeAsync().AsTask();
}
