using Learning.Common;

namespace Learning.Access;

/// <summary>What applying one subscription event did: the new state, and the audit action it earns (null: nothing changed).</summary>
public sealed record SubscriptionApplied(AccessState State, string? AuditAction, bool Repeat, bool Stale);

/// <summary>
/// The contract's access rules, pure: who may watch now and until when (subscription statuses, the past-due grace,
/// cancel at period end, operators' grants, free previews), the order in which Stripe's events apply, and grants.
/// The user's grain applies them in the same serialized step as a start, a heartbeat and a media check.
/// </summary>
public static class AccessRules
{
    /// <summary>Ids of the newest applied billing events remembered per user, so a repeated delivery changes nothing.</summary>
    public const int AppliedEventIdsKept = 100;

    /// <summary>Live grants a user may hold at once; expired and revoked ones are dropped.</summary>
    public const int MaxLiveGrants = 50;

    public const int MaxReasonLength = 500;

    /// <summary>
    /// Whether this user may watch lessons that are not free previews now, from where and until when.
    /// <c>Access:Mode=open</c>: everyone, with no end. Admins may watch everything in either mode (they run the catalog).
    /// </summary>
    public static AccessDecision Decide(AccessState state, bool isAdmin, DateTimeOffset now, AccessOptions options)
    {
        if (!options.IsSubscription || isAdmin)
        {
            return OpenAccess;
        }

        var (subscribed, subscriptionEnd) = OfSubscription(state.Subscription, now, options);
        var (granted, grantEnd) = OfGrants(state.Grants, now);
        if (!subscribed && !granted)
        {
            return AccessDecision.None;
        }

        // Both hold from now on, so access lasts until the later of the two ends (null: no known end).
        DateTimeOffset? until = (subscribed && subscriptionEnd is null) || (granted && grantEnd is null)
            ? null
            : Later(subscribed ? subscriptionEnd : null, granted ? grantEnd : null);
        return new AccessDecision(true, subscribed ? AccessSources.Subscription : AccessSources.Grant, until);
    }

    /// <summary>Whether a lesson may start now: a free preview plays for everyone, anything else needs access.</summary>
    public static bool MayWatch(AccessDecision decision, bool freePreview) => freePreview || decision.HasAccess;

    /// <summary>
    /// The instant up to which <paramref name="decision"/> keeps holding without any event: access holds while
    /// <c>now &lt; HoldsUntil</c>. <see cref="DateTimeOffset.MaxValue"/>: no end known; <see cref="DateTimeOffset.MinValue"/>: no access.
    /// Access never begins by time passing alone (only by an event or a grant), so this is exact until the state changes.
    /// </summary>
    public static DateTimeOffset HoldsUntil(AccessDecision decision) =>
        !decision.HasAccess ? DateTimeOffset.MinValue : decision.Until ?? DateTimeOffset.MaxValue;

    /// <summary>The deadline a reminder must wake the grain at (access ends with no request in sight), or null.</summary>
    public static DateTimeOffset? NextDeadline(AccessDecision decision) => decision is { HasAccess: true, Until: { } until } ? until : null;

    /// <summary>
    /// Access from the subscription: <c>trialing</c> and <c>active</c> (until the period end when cancelling at it),
    /// <c>past_due</c> for <see cref="AccessOptions.PastDueGrace"/> from the first <c>past_due</c>, <c>canceled</c> at
    /// period end until the period end; nothing else, and nothing once deleted.
    /// </summary>
    public static (bool HasAccess, DateTimeOffset? Until) OfSubscription(SubscriptionRecord? subscription, DateTimeOffset now, AccessOptions options)
    {
        if (subscription is null || subscription.Deleted)
        {
            return (false, null);
        }

        var periodEnd = subscription.CancelAtPeriodEnd ? subscription.CurrentPeriodEnd : null;
        (bool Gives, DateTimeOffset? Until) access = subscription.Status switch
        {
            SubscriptionStatuses.Trialing or SubscriptionStatuses.Active => (true, periodEnd),
            SubscriptionStatuses.PastDue => (true, Earlier((subscription.PastDueSince ?? subscription.LastEventCreated) + options.PastDueGrace, periodEnd)),
            SubscriptionStatuses.Canceled when subscription is { CancelAtPeriodEnd: true, CurrentPeriodEnd: not null } => (true, periodEnd),
            _ => (false, null),
        };
        return access.Gives && (access.Until is null || now < access.Until) ? (true, access.Until) : (false, null);
    }

    /// <summary>Access from grants: while any grant's <c>until</c> is ahead, until the latest of them.</summary>
    public static (bool HasAccess, DateTimeOffset? Until) OfGrants(IEnumerable<AccessGrant> grants, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        foreach (var grant in grants)
        {
            if (now < grant.Until && (latest is null || grant.Until > latest))
            {
                latest = grant.Until;
            }
        }

        return (latest is not null, latest);
    }

    /// <summary>
    /// The contract's finality order of statuses, for events of one subscription created in the same second:
    /// <c>incomplete</c> &lt; <c>trialing</c> &lt; <c>active</c> &lt; <c>past_due</c> &lt; <c>unpaid</c> &lt; <c>canceled</c>;
    /// <c>paused</c> sits with <c>unpaid</c>, <c>incomplete_expired</c> with <c>canceled</c>, and a deletion above all.
    /// </summary>
    public static int Finality(string status, bool deleted) => deleted ? 6 : status switch
    {
        SubscriptionStatuses.Incomplete => 0,
        SubscriptionStatuses.Trialing => 1,
        SubscriptionStatuses.Active => 2,
        SubscriptionStatuses.PastDue => 3,
        SubscriptionStatuses.Unpaid or SubscriptionStatuses.Paused => 4,
        SubscriptionStatuses.Canceled or SubscriptionStatuses.IncompleteExpired => 5,
        _ => -1,
    };

    /// <summary>Over for good: deleted, canceled or expired before it was ever paid.</summary>
    public static bool IsOver(string status, bool deleted) =>
        deleted || status is SubscriptionStatuses.Canceled or SubscriptionStatuses.IncompleteExpired;

    /// <summary>
    /// Whether <paramref name="change"/> is newer than what the user's state holds. Same subscription: a newer
    /// <c>created</c> wins; on a tie the more final status wins; an older event is ignored. Another subscription replaces
    /// the current one when that one is over (unless the change is an even older, finished one), or when it is newer and live.
    /// </summary>
    public static bool Supersedes(SubscriptionRecord? current, SubscriptionChange change)
    {
        if (current is null)
        {
            return true;
        }

        if (current.SubscriptionId == change.SubscriptionId)
        {
            return change.EventCreated > current.LastEventCreated
                || (change.EventCreated == current.LastEventCreated
                    && Finality(change.Status, change.Deleted) > Finality(current.Status, current.Deleted));
        }

        var changeOver = IsOver(change.Status, change.Deleted);
        return IsOver(current.Status, current.Deleted)
            ? !(changeOver && change.EventCreated < current.LastEventCreated)
            : !changeOver && change.EventCreated >= current.LastEventCreated;
    }

    /// <summary>
    /// Applies one verified subscription event: a repeat (same event id) changes nothing, an older one is remembered and
    /// ignored, anything else becomes the user's subscription, audited <c>subscription_start</c> (a subscription not
    /// seen before), <c>subscription_end</c> (it is over now and was not before) or <c>subscription_update</c>.
    /// </summary>
    public static SubscriptionApplied Apply(AccessState state, SubscriptionChange change, DateTimeOffset now)
    {
        if (state.AppliedEventIds.Contains(change.EventId))
        {
            return new SubscriptionApplied(state, null, Repeat: true, Stale: false);
        }

        var remembered = state with { AppliedEventIds = Remember(state.AppliedEventIds, change.EventId) };
        var current = state.Subscription;
        if (!Supersedes(current, change))
        {
            return new SubscriptionApplied(remembered, null, Repeat: false, Stale: true);
        }

        var same = current?.SubscriptionId == change.SubscriptionId ? current : null;
        var pastDueSince = change.Status == SubscriptionStatuses.PastDue
            ? same is { Status: SubscriptionStatuses.PastDue, PastDueSince: { } since } ? since : change.EventCreated
            : (DateTimeOffset?)null;
        var next = new SubscriptionRecord(change.SubscriptionId, change.CustomerId, change.Status, change.PlanId, change.CurrentPeriodEnd,
            change.CancelAtPeriodEnd, change.TrialEnd, change.EventCreated, now)
        {
            PastDueSince = pastDueSince,
            Deleted = change.Deleted,
        };
        var over = IsOver(next.Status, next.Deleted);
        var action = same is null
            ? over ? Audit.AuditActions.SubscriptionEnd : Audit.AuditActions.SubscriptionStart
            : over && !IsOver(same.Status, same.Deleted) ? Audit.AuditActions.SubscriptionEnd : Audit.AuditActions.SubscriptionUpdate;
        return new SubscriptionApplied(
            remembered with
            {
                Subscription = next,
                HadTrial = state.HadTrial || change.Status == SubscriptionStatuses.Trialing,
                CustomerId = state.CustomerId ?? change.CustomerId,
            },
            action, Repeat: false, Stale: false);
    }

    /// <summary>A new operator's grant, or the field errors that refuse it; expired grants are dropped on the way.</summary>
    public static Result<(AccessState State, AccessGrant Grant)> AddGrant(
        AccessState state, NewGrant request, Guid grantId, Guid actorId, DateTimeOffset now)
    {
        if (request.Until <= now)
        {
            return Failure.Validation("until", "Must be in the future.");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Failure.Validation("reason", "This field is required.");
        }

        if (request.Reason.Trim().Length > MaxReasonLength)
        {
            return Failure.Validation("reason", $"Ensure this field has no more than {MaxReasonLength} characters.");
        }

        var live = state.Grants.RemoveAll(g => g.Until <= now);
        if (live.Count >= MaxLiveGrants)
        {
            return Failure.Validation("until", $"This user already holds {MaxLiveGrants} live grants; revoke one first.");
        }

        var grant = new AccessGrant(grantId, request.Until, request.Reason.Trim(), now, actorId);
        return (state with { Grants = live.Add(grant) }, grant);
    }

    /// <summary>The grants an operator sees: those still ahead, soonest end first.</summary>
    public static IReadOnlyList<AccessGrant> LiveGrants(AccessState state, DateTimeOffset now) =>
        [.. state.Grants.Where(g => now < g.Until).OrderBy(g => g.Until).ThenBy(g => g.Id)];

    /// <summary>The body of <c>GET /api/subscription</c> (and the admin's <c>access</c> and <c>grants</c>).</summary>
    public static AccessView View(AccessState state, AccessDecision decision, DateTimeOffset now) => state.Subscription is { } s
        ? new AccessView(StatusOf(s), s.PlanId, s.CurrentPeriodEnd, s.CancelAtPeriodEnd, s.TrialEnd, decision, LiveGrants(state, now))
        : new AccessView(SubscriptionStatuses.None, null, null, false, null, decision, LiveGrants(state, now));

    /// <summary>The status shown for a subscription: a deleted one is <c>canceled</c>, whatever its last event said.</summary>
    public static string StatusOf(SubscriptionRecord subscription) =>
        subscription.Deleted ? SubscriptionStatuses.Canceled : subscription.Status;

    private static readonly AccessDecision OpenAccess = new(true, AccessSources.Open, null);

    private static System.Collections.Immutable.ImmutableList<string> Remember(System.Collections.Immutable.ImmutableList<string> ids, string id)
    {
        var added = ids.Add(id);
        return added.Count > AppliedEventIdsKept ? added.RemoveRange(0, added.Count - AppliedEventIdsKept) : added;
    }

    private static DateTimeOffset? Earlier(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other < a ? other : a;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
