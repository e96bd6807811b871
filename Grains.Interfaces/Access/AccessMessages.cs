namespace Learning.Access;

/// <summary>Stripe's subscription statuses, as the contract and Stripe spell them (<c>none</c>: never subscribed).</summary>
public static class SubscriptionStatuses
{
    public const string None = "none";
    public const string Incomplete = "incomplete";
    public const string IncompleteExpired = "incomplete_expired";
    public const string Trialing = "trialing";
    public const string Active = "active";
    public const string PastDue = "past_due";
    public const string Unpaid = "unpaid";
    public const string Canceled = "canceled";
    public const string Paused = "paused";
}

/// <summary>Where a user's access comes from (<c>source</c> in <c>GET /api/subscription</c>); null: no access.</summary>
public static class AccessSources
{
    public const string Subscription = "subscription";
    public const string Grant = "grant";
    public const string Open = "open";
}

/// <summary>
/// The state of one Stripe subscription as one verified event carried it. Everything needed to apply the event is
/// here: applying it never calls Stripe. <see cref="EventCreated"/> and <see cref="Status"/> order events of the
/// same subscription (the contract's rule: newer <c>created</c> wins; on a tie the more final status wins).
/// </summary>
[GenerateSerializer, Immutable, Alias("access.subscription-change")]
public sealed record SubscriptionChange(
    [property: Id(0)] string EventId,
    [property: Id(1)] DateTimeOffset EventCreated,
    [property: Id(2)] string SubscriptionId,
    [property: Id(3)] string CustomerId,
    [property: Id(4)] string Status,
    [property: Id(5)] string? PriceId,
    [property: Id(6)] DateTimeOffset? CurrentPeriodEnd,
    [property: Id(7)] bool CancelAtPeriodEnd,
    [property: Id(8)] DateTimeOffset? TrialEnd)
{
    /// <summary>The plan id of <see cref="PriceId"/> in <c>Billing:Plans</c>; null when the price is not a configured plan.</summary>
    [Id(9)] public string? PlanId { get; init; }

    /// <summary>Set by <c>customer.subscription.deleted</c>: the subscription is over whatever its status says.</summary>
    [Id(10)] public bool Deleted { get; init; }
}

/// <summary>An operator's grant of access until <see cref="Until"/>.</summary>
[GenerateSerializer, Immutable, Alias("access.grant")]
public sealed record AccessGrant(
    [property: Id(0)] Guid Id,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] Guid ActorId);

[GenerateSerializer, Immutable, Alias("access.new-grant")]
public sealed record NewGrant([property: Id(0)] DateTimeOffset Until, [property: Id(1)] string Reason);

/// <summary>Whether the user may watch now, from where, and until when (null: no known end).</summary>
[GenerateSerializer, Immutable, Alias("access.decision")]
public sealed record AccessDecision(
    [property: Id(0)] bool HasAccess,
    [property: Id(1)] string? Source,
    [property: Id(2)] DateTimeOffset? Until)
{
    public static readonly AccessDecision None = new(false, null, null);
}

/// <summary>The body of <c>GET /api/subscription</c> and the <c>access</c> of an admin's user detail.</summary>
[GenerateSerializer, Immutable, Alias("access.view")]
public sealed record AccessView(
    [property: Id(0)] string Status,
    [property: Id(1)] string? PlanId,
    [property: Id(2)] DateTimeOffset? CurrentPeriodEnd,
    [property: Id(3)] bool CancelAtPeriodEnd,
    [property: Id(4)] DateTimeOffset? TrialEnd,
    [property: Id(5)] AccessDecision Access,
    [property: Id(6)] IReadOnlyList<AccessGrant> Grants);
