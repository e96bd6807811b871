using System.Collections.Immutable;
using Learning.Access;

namespace Learning.Billing;

/// <summary>The user-side billing rules of the user's grain. Pure: the time is passed in.</summary>
public static class BillingRules
{
    /// <summary>How many applied billing event ids a user's state remembers (a repeat older than that is caught by the event store).</summary>
    public const int RememberedEvents = 64;

    /// <summary>
    /// Whether a subscription still stands, so a new checkout would charge the user twice: trialing, active or past due
    /// (Stripe is still retrying; the portal is where to fix the card), and not canceled with its period over.
    /// </summary>
    public static bool BlocksCheckout(SubscriptionRecord? subscription, DateTimeOffset now) =>
        subscription is { Deleted: false } s
        && s.Status is SubscriptionStatuses.Trialing or SubscriptionStatuses.Active or SubscriptionStatuses.PastDue
        && !(s.CancelAtPeriodEnd && s.CurrentPeriodEnd is { } end && end <= now);

    /// <summary>The ids with <paramref name="eventId"/> added, the oldest dropped beyond <see cref="RememberedEvents"/>.</summary>
    public static ImmutableList<string> Remember(ImmutableList<string> applied, string eventId)
    {
        var added = applied.Add(eventId);
        return added.Count > RememberedEvents ? added.RemoveRange(0, added.Count - RememberedEvents) : added;
    }
}
