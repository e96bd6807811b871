using System.Collections.Immutable;

namespace Learning.Access;

/// <summary>
/// The user's subscription (the newest state Stripe's events reported), operators' grants and the Stripe customer link.
/// Small by design: one subscription, the live grants, and the ids of the last few billing events applied.
/// </summary>
[GenerateSerializer, Immutable, Alias("access.state")]
public sealed record AccessState
{
    /// <summary>
    /// A fresh instance every time, never a shared one (see <c>LoginThrottle.None</c>): reading stored state fills in
    /// the object <c>UserState.Access</c> already holds, so a shared default would hand one user's subscription and
    /// grants to every user created afterwards in the process.
    /// </summary>
    public static AccessState None => new();

    [Id(0)] public SubscriptionRecord? Subscription { get; init; }

    [Id(1)] public ImmutableList<AccessGrant> Grants { get; init; } = [];

    /// <summary>The Stripe customer a checkout created for this user; the billing portal needs it.</summary>
    [Id(2)] public string? CustomerId { get; init; }

    /// <summary>Set once any subscription of this user was trialing: a trial is offered once per user.</summary>
    [Id(3)] public bool HadTrial { get; init; }

    /// <summary>Ids of the newest billing events already applied here (bounded), so a repeat changes nothing.</summary>
    [Id(4)] public ImmutableList<string> AppliedEventIds { get; init; } = [];
}

/// <summary>One Stripe subscription as the newest applied event described it.</summary>
[GenerateSerializer, Immutable, Alias("access.subscription")]
public sealed record SubscriptionRecord(
    [property: Id(0)] string SubscriptionId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Status,
    [property: Id(3)] string? PlanId,
    [property: Id(4)] DateTimeOffset? CurrentPeriodEnd,
    [property: Id(5)] bool CancelAtPeriodEnd,
    [property: Id(6)] DateTimeOffset? TrialEnd,
    [property: Id(7)] DateTimeOffset LastEventCreated,
    [property: Id(8)] DateTimeOffset UpdatedAt)
{
    /// <summary>When the status first became <c>past_due</c> (the grace counts from there); cleared when it leaves it.</summary>
    [Id(9)] public DateTimeOffset? PastDueSince { get; init; }

    [Id(10)] public bool Deleted { get; init; }
}
