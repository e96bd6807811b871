using Learning.Common;

namespace Learning.Access;

/// <summary>What a checkout for this user may offer, decided by the user's grain (a trial only for a user who never had one).</summary>
[GenerateSerializer, Immutable, Alias("access.checkout-terms")]
public sealed record CheckoutTerms(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Email,
    [property: Id(2)] string? CustomerId,
    [property: Id(3)] bool TrialAllowed);

/// <summary>A payment event of Stripe's for this user: audited, and mailed where the contract says so.</summary>
[GenerateSerializer, Immutable, Alias("access.billing-notice")]
public sealed record BillingNotice(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset EventCreated)
{
    [Id(3)] public long? Amount { get; init; }
    [Id(4)] public string? Currency { get; init; }
    [Id(5)] public string? InvoiceId { get; init; }
    [Id(6)] public string? ChargeId { get; init; }
    [Id(7)] public string? SubscriptionId { get; init; }

    /// <summary>Stripe's hosted invoice page, mailed when a payment needs the customer's action (SCA).</summary>
    [Id(8)] public string? HostedInvoiceUrl { get; init; }

    [Id(9)] public DateTimeOffset? TrialEnd { get; init; }

    [Id(10)] public string? Reason { get; init; }
}

/// <summary>The kinds of <see cref="BillingNotice"/>, one per handled Stripe event type that is not a subscription change.</summary>
public static class BillingNoticeKinds
{
    public const string Paid = "invoice.paid";
    public const string PaymentFailed = "invoice.payment_failed";
    public const string PaymentActionRequired = "invoice.payment_action_required";
    public const string TrialWillEnd = "customer.subscription.trial_will_end";
    public const string Refunded = "charge.refunded";
    public const string Disputed = "charge.dispute.created";
}

/// <summary>The user's side of billing through Stripe: checkout terms, the customer link, payment notices.</summary>
[Alias("access.IUserBillingGrain")]
public interface IUserBillingGrain : IGrainWithGuidKey
{
    /// <summary>Terms for a new checkout; <c>409 already_subscribed</c> while a subscription gives access.</summary>
    [Alias("checkout-terms")]
    Task<Result<CheckoutTerms>> GetCheckoutTerms(Caller caller);

    /// <summary>The user's Stripe customer, for the billing portal; <c>404 no_billing_account</c> without one.</summary>
    [Alias("billing-customer")]
    Task<Result<string>> GetBillingCustomer(Caller caller);

    /// <summary>Links the Stripe customer a completed checkout created to this user (idempotent).</summary>
    [Alias("link-customer")]
    Task<Result<Done>> LinkCustomer(string customerId, string eventId);

    /// <summary>Audits (and mails, where the contract says so) a payment event once, by its event id.</summary>
    [Alias("billing-notice")]
    Task<Result<Done>> RecordBillingNotice(BillingNotice notice);

    /// <summary>The user's Stripe customer for operators' reconciliation (null: none); <c>404 user_not_found</c> without an account.</summary>
    [Alias("find-billing-customer")]
    Task<Result<string?>> FindBillingCustomer();
}
