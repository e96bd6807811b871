using System.Collections.Immutable;
using Learning.Access;

namespace Learning.Billing;

/// <summary>The user-side billing rules of the user's grain. Pure: the time is passed in.</summary>
public static class BillingRules
{
    /// <summary>How many applied billing event ids a user's state remembers (shared with the subscription changes).</summary>
    public const int RememberedEvents = AccessRules.AppliedEventIdsKept;

    /// <summary>
    /// Whether a new checkout would charge the user twice: while the subscription gives access (the access rules), and
    /// also while Stripe still retries a past-due or unpaid one after the grace (the portal is where to fix the card).
    /// </summary>
    public static bool BlocksCheckout(SubscriptionRecord? subscription, DateTimeOffset now, AccessOptions options) =>
        AccessRules.OfSubscription(subscription, now, options).HasAccess
        || subscription is { Deleted: false, Status: SubscriptionStatuses.PastDue or SubscriptionStatuses.Unpaid };

    /// <summary>The ids with <paramref name="eventId"/> added, the oldest dropped beyond <see cref="RememberedEvents"/>.</summary>
    public static ImmutableList<string> Remember(ImmutableList<string> applied, string eventId)
    {
        var added = applied.Add(eventId);
        return added.Count > RememberedEvents ? added.RemoveRange(0, added.Count - RememberedEvents) : added;
    }
}
