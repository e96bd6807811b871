namespace Learning.Billing;

/// <summary>
/// Stripe billing (section <c>Billing</c>). <c>Billing:PastDueGrace</c> lives in the access options, which read it;
/// it is deliberately not repeated here.
/// </summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    public const string DefaultApiBase = "https://api.stripe.com";

    /// <summary>Stripe's secret API key (<c>sk_…</c>); without it checkout and the portal answer <c>503 billing_unavailable</c>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>); without it every webhook is <c>400 invalid_signature</c>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where Stripe's API is; only tests point it elsewhere (a local stand-in).</summary>
    public string ApiBase { get; set; } = DefaultApiBase;

    /// <summary>The plans offered, each with its Stripe price id.</summary>
    public List<BillingPlan> Plans { get; set; } = [];

    /// <summary>Origins (<c>https://app.example.com</c>) that checkout and portal return URLs may point to.</summary>
    public List<string> AllowedRedirectOrigins { get; set; } = [];

    /// <summary>How long a call to Stripe may take before billing counts as unavailable.</summary>
    public TimeSpan StripeTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public BillingProcessingOptions Processing { get; set; } = new();

    public bool IsStripeConfigured => !string.IsNullOrWhiteSpace(SecretKey);

    public BillingPlan? PlanById(string? id) => Plans.Find(p => string.Equals(p.Id, id, StringComparison.Ordinal));

    public BillingPlan? PlanByPrice(string? priceId) =>
        priceId is null ? null : Plans.Find(p => string.Equals(p.PriceId, priceId, StringComparison.Ordinal));
}

public sealed class BillingPlan
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Stripe's recurring interval: <c>day</c>, <c>week</c>, <c>month</c> or <c>year</c>.</summary>
    public string Interval { get; set; } = "month";

    /// <summary>In the currency's smallest unit (cents), as Stripe counts.</summary>
    public long Amount { get; set; }

    /// <summary>ISO 4217, lower case as Stripe writes it (<c>eur</c>).</summary>
    public string Currency { get; set; } = "";

    /// <summary>Trial days offered to a user who never had a trial (0: none).</summary>
    public int TrialDays { get; set; }

    /// <summary>Stripe's price id (<c>price_…</c>).</summary>
    public string PriceId { get; set; } = "";
}

/// <summary>How recorded webhook events are processed: claims with a lease, retries with capped, jittered backoff.</summary>
public sealed class BillingProcessingOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed event is left to its processor before another one may take it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = 20;

    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts before an event is given up (logged as an error; reconciliation repairs the user). 0: never.</summary>
    public int MaxAttempts { get; set; } = 30;
}
