using Learning.Access;
using Learning.Accounts;
using Learning.Audit;
using Learning.Common;
using Learning.Playback;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Learning.Users;

/// <summary>
/// Access (<c>Access:Mode</c>): subscriptions as Stripe's events report them and operators' grants, decided by
/// <see cref="AccessRules"/> in the same serialized step as a start, a heartbeat or a media check. When access ends,
/// the live sessions that needed it end at once (<c>access_ended</c>): by the event that ended it, or, when it ends by a
/// deadline (a grant's end, a period end, the past-due grace), by a reminder at that deadline.
/// </summary>
public sealed partial class UserGrain : IRemindable
{
    /// <summary>The reminder that wakes this grain when access ends by a deadline with no request in sight.</summary>
    public const string AccessDeadlineReminder = "access-deadline";

    /// <summary>
    /// How often a deadline reminder ticks again if a tick fails. Each successful tick moves it to the next deadline
    /// or removes it, so it normally ticks once.
    /// </summary>
    private static readonly TimeSpan DeadlineRetryPeriod = TimeSpan.FromMinutes(5);

    /// <summary>Reminders are registered at most this far ahead; a tick before the deadline only registers the rest.</summary>
    private static readonly TimeSpan LongestDeadlineWait = TimeSpan.FromDays(30);

    private static readonly Failure GrantNotFound = new(ErrorCodes.GrantNotFound, "Grant not found.");

    private static readonly Failure UserNotFound = new(ErrorCodes.UserNotFound, "User not found.");

    private AccessOptions? _accessOptions;

    /// <summary>
    /// Access holds while <c>now &lt; _accessHoldsUntil</c> (see <see cref="AccessRules.HoldsUntil"/>). Heartbeats, the hot
    /// path, compare against this and decide nothing else; <see cref="DateTimeOffset.MinValue"/> means "decide again",
    /// which is also the start value, so the first check after activation decides from the stored state.
    /// </summary>
    private DateTimeOffset _accessHoldsUntil = DateTimeOffset.MinValue;

    /// <summary>The deadline this activation registered the reminder for (null: none, or not known).</summary>
    private DateTimeOffset? _reminderArmedFor;

    private bool _reminderStateKnown;

    private AccessOptions AccessSettings => _accessOptions ??= ServiceProvider.GetRequiredService<IOptions<AccessOptions>>().Value;

    public Task<Result<AccessView>> GetAccess()
    {
        if (State.Account is null)
        {
            return Task.FromResult<Result<AccessView>>(UserNotFound);
        }

        var now = Now;
        return Task.FromResult<Result<AccessView>>(AccessRules.View(State.Access, DecideAccess(now), now));
    }

    public async Task<Result<Done>> ApplySubscription(SubscriptionChange change, ClientInfo client)
    {
        if (State.Account is null)
        {
            return UserNotFound;
        }

        if (State.Access.AppliedEventIds.Contains(change.EventId))
        {
            return Done.Instance;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var now = Now;
        var applied = AccessRules.Apply(State.Access, change, now);
        State.Access = applied.State;
        if (applied.AuditAction is { } action)
        {
            var subscription = applied.State.Subscription!;
            Audit(action, client, AuditMetadata.Of(
                ("subscription_id", subscription.SubscriptionId), ("status", AccessRules.StatusOf(subscription)),
                ("plan_id", subscription.PlanId), ("current_period_end", subscription.CurrentPeriodEnd),
                ("cancel_at_period_end", subscription.CancelAtPeriodEnd), ("event_id", change.EventId)));
        }
        else
        {
            logger.LogInformation("Subscription event {EventId} of user {UserId} is older than the state applied; recorded and ignored", change.EventId, UserId);
        }

        EndSessionsWithoutAccess(now, client, decideAgain: true);
        await CommitAsync();
        await ArmAccessDeadlineAsync(mayClear: true);
        return Done.Instance;
    }

    public async Task<Result<AccessGrant>> AddGrant(NewGrant grant, Guid actorId, ClientInfo client)
    {
        if (State.Account is null)
        {
            return UserNotFound;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var now = Now;
        var added = AccessRules.AddGrant(State.Access, grant, Guid.NewGuid(), actorId, now);
        if (added.Error is { } refused)
        {
            return refused;
        }

        var (access, created) = added.Value;
        State.Access = access;
        Audit(AuditActions.AccessGranted, client, AuditMetadata.Of(
            ("grant_id", created.Id), ("until", created.Until), ("reason", created.Reason), ("actor_id", actorId)));
        _accessHoldsUntil = DateTimeOffset.MinValue;
        await CommitAsync();
        await ArmAccessDeadlineAsync(mayClear: true);
        return created;
    }

    public async Task<Result<Done>> RevokeGrant(Guid grantId, Guid actorId, ClientInfo client)
    {
        if (State.Account is null)
        {
            return UserNotFound;
        }

        if (State.Access.Grants.Find(g => g.Id == grantId) is not { } grant)
        {
            return GrantNotFound;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var now = Now;
        State.Access = State.Access with { Grants = State.Access.Grants.Remove(grant) };
        Audit(AuditActions.AccessRevoked, client, AuditMetadata.Of(
            ("grant_id", grant.Id), ("until", grant.Until), ("reason", grant.Reason), ("actor_id", actorId)));
        EndSessionsWithoutAccess(now, client, decideAgain: true);
        await CommitAsync();
        await ArmAccessDeadlineAsync(mayClear: true);
        return Done.Instance;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == AccessDeadlineReminder ? AccessDeadlineReachedAsync() : Task.CompletedTask;

    /// <summary>
    /// The deadline reminder's work, with this grain's business clock: sessions that lost access end (audited
    /// <c>video_end</c>, reason <c>access_ended</c>), then the reminder moves to the next deadline or goes.
    /// </summary>
    private async Task AccessDeadlineReachedAsync()
    {
        if (State.Account is null)
        {
            await ArmAccessDeadlineAsync(mayClear: true);
            return;
        }

        if (EndSessionsWithoutAccess(Now, ClientInfo.Internal, decideAgain: true))
        {
            await CommitAsync();
        }

        _reminderStateKnown = false;
        await ArmAccessDeadlineAsync(mayClear: true);
    }

    private AccessDecision DecideAccess(DateTimeOffset now) =>
        AccessRules.Decide(State.Access, State.Account?.Role == Role.Admin, now, AccessSettings);

    /// <summary>
    /// Cheap enough for every heartbeat: true only when a live session needs access and the cached end of access has
    /// passed (or is not known yet), so the caller must decide again (<see cref="EnforceAccessAsync"/>).
    /// </summary>
    private bool AccessNeedsChecking(DateTimeOffset now) =>
        now >= _accessHoldsUntil && State.Sessions.Exists(static s => !s.IsEnded && !s.FreePreview);

    /// <summary>Decides again and, if access is gone, ends the sessions that needed it and stores that before answering.</summary>
    private async Task EnforceAccessAsync(DateTimeOffset now, ClientInfo client)
    {
        if (!EndSessionsWithoutAccess(now, client, decideAgain: true))
        {
            return;
        }

        try
        {
            await CommitAsync();
        }
        catch (Exception exception)
        {
            // The caller still hears 410: the stored state reloads (CommitAsync deactivates) and the next check ends them again.
            logger.LogWarning(exception, "Storing the end of sessions of user {UserId} whose access ended failed", UserId);
        }
    }

    /// <summary>
    /// Ends (in memory, audited) every live session that needs access when there is none. Returns whether it ended any.
    /// Never refused for a full audit outbox: a stream that lost its access must stop whatever else is failing.
    /// </summary>
    private bool EndSessionsWithoutAccess(DateTimeOffset now, ClientInfo client, bool decideAgain)
    {
        if (decideAgain || now >= _accessHoldsUntil)
        {
            _accessHoldsUntil = AccessRules.HoldsUntil(DecideAccess(now));
        }

        if (now < _accessHoldsUntil)
        {
            return false;
        }

        SettleSessions(now);
        if (!State.Sessions.Exists(static s => !s.IsEnded && !s.FreePreview))
        {
            return false;
        }

        EndSessions(static s => !s.FreePreview, EndReasons.AccessEnded, client);
        return true;
    }

    /// <summary>
    /// Keeps the deadline reminder where it must be: registered at the instant access ends while a live session needs
    /// access, gone otherwise (<paramref name="mayClear"/>: a start only ever adds it). Failures are logged, not thrown:
    /// the change is stored already, and every heartbeat and media check still enforces the deadline.
    /// </summary>
    private async Task ArmAccessDeadlineAsync(bool mayClear)
    {
        if (!AccessSettings.IsSubscription)
        {
            return;
        }

        var now = Now;
        var wanted = State.Account is not null && State.Sessions.Exists(static s => !s.IsEnded && !s.FreePreview)
            ? AccessRules.NextDeadline(DecideAccess(now))
            : null;
        if (_reminderStateKnown && wanted == _reminderArmedFor)
        {
            return;
        }

        try
        {
            if (wanted is { } deadline)
            {
                var due = deadline - now;
                due = due < TimeSpan.Zero ? TimeSpan.Zero : due > LongestDeadlineWait ? LongestDeadlineWait : due;
                await this.RegisterOrUpdateReminder(AccessDeadlineReminder, due, DeadlineRetryPeriod);
                (_reminderArmedFor, _reminderStateKnown) = (deadline, true);
            }
            else if (mayClear)
            {
                if (await this.GetReminder(AccessDeadlineReminder) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                (_reminderArmedFor, _reminderStateKnown) = (null, true);
            }
        }
        catch (Exception exception)
        {
            _reminderStateKnown = false;
            logger.LogWarning(exception, "The access deadline reminder of user {UserId} could not be updated; heartbeats still enforce it", UserId);
        }
    }
}
