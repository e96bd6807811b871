using Learning.Accounts;
using Learning.Audit;
using Learning.Catalog;
using Learning.Devices;
using Learning.Email;
using Learning.Playback;
using Learning.ReadModel;
using Learning.Common;
using Learning.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Learning.Users;

/// <summary>
/// One user's devices, sessions, refresh families and login failures. Deliberately not reentrant: each call
/// runs alone, which is what makes the per-user rules hold however requests race across the cluster.
/// Each feature's commands live in their own partial file.
/// </summary>
public sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Default)] IPersistentState<UserState> state,
    [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock,
    IOptions<AccountOptions> accountOptions,
    PasswordHasher hasher,
    IOptions<LimitsOptions> limitsOptions,
    IOptions<DeviceOptions> deviceOptions,
    IOptions<PlaybackOptions> playbackOptions,
    ICatalogSnapshots catalog,
    CatalogSettings catalogSettings,
    IReadModelWriter readModel,
    IMailQueue mailQueue,
    IMailComposer composer,
    BusinessMetrics metrics,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private UserState State => state.State;

    private Guid UserId => this.GetPrimaryKey();

    private DateTimeOffset Now => clock.GetUtcNow();

    private LimitsOptions Limits => limitsOptions.Value;

    private PlaybackOptions Playback => playbackOptions.Value;

    private long _reportedOpenSessions;

    /// <summary>Keeps the live-sessions gauge in step with this grain's sessions that have not ended.</summary>
    private void ReportOpenSessions()
    {
        var open = State.Sessions.Count(s => !s.IsEnded);
        // Runs on every heartbeat, where the count almost never moves: adding 0 would still cost a pass through the
        // metrics aggregator (a lookup and an interlocked update), for no change in the reported value.
        if (open != _reportedOpenSessions)
        {
            metrics.LiveSessions.Add(open - _reportedOpenSessions);
            _reportedOpenSessions = open;
        }
    }

    /// <summary>
    /// Publishing again on every activation is what makes the read model catch up after a silo died between
    /// storing a change and publishing it; publishing is idempotent, so a repeat costs one round trip.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync();
            await ForgetHandedOverMailAsync();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Publishing user {UserId} to the read model on activation failed; the next change retries", UserId);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.LiveSessions.Add(-_reportedOpenSessions);
        _reportedOpenSessions = 0;
        if (_heartbeatsUnsaved)
        {
            await CommitAsync();
        }
    }

    /// <summary>
    /// Stores the change, then publishes it to the read model; commands answer only after both, so whatever a
    /// client was told succeeded is in the operators' tables too. If publishing fails the command fails, and
    /// the stored change is published by the next command or activation.
    /// </summary>
    private async Task CommitAsync()
    {
        try
        {
            await StoreAsync();
        }
        catch
        {
            // Memory now holds a change that may never have been stored; drop it and reload from storage.
            this.DeactivateOnIdle();
            throw;
        }

        await PublishAsync();
        await ForgetHandedOverMailAsync();
    }

    private async Task StoreAsync()
    {
        State.Version++;
        await state.WriteStateAsync();
        _heartbeatsUnsaved = false;
    }

    /// <summary>
    /// The audit outbox is bounded by refusing, never by dropping: while it holds <see cref="LimitsOptions.MaxPendingAuditEntries"/>
    /// entries (the read model has been down that long), commands that audit answer <c>503</c> and change nothing. Each
    /// refusal first tries to deliver, so the first command after the read model recovers goes through.
    /// </summary>
    private Task<Failure?> RefuseWhileAuditBacklogFull() => RefuseWhileOutboxFull(sendsMail: false);

    /// <summary>
    /// The same rule for commands that may mail, whose mail outbox is bounded by <see cref="LimitsOptions.MaxPendingMails"/>
    /// (the mail queue has been down that long).
    /// </summary>
    private async Task<Failure?> RefuseWhileOutboxFull(bool sendsMail)
    {
        if (!OutboxFull(sendsMail))
        {
            return null;
        }

        try
        {
            await PublishAsync();
            await ForgetHandedOverMailAsync();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "The outbox of user {UserId} is full and the read model or mail queue still refuses it", UserId);
        }

        return OutboxFull(sendsMail) ? AuditBacklogFull : null;
    }

    private bool OutboxFull(bool sendsMail) =>
        State.AuditOutbox.Count >= Limits.MaxPendingAuditEntries || (sendsMail && State.MailOutbox.Count >= Limits.MaxPendingMails);

    private static readonly Failure AuditBacklogFull = new(ErrorCodes.ServiceUnavailable,
        "Changes to this account cannot be recorded right now; retry shortly.")
    { RetryAfterSeconds = 5 };

    private void Audit(string action, ClientInfo client, string metadataJson = AuditMetadata.Empty) =>
        State.AuditOutbox.Add(new AuditEntry(
            AuditIds.Next(Now), UserId, State.Account?.Email, action,
            client.IpAddress, client.UserAgent, metadataJson, Now));

    private void Mail(OutgoingMail message) => State.MailOutbox.Add(message);

    /// <summary>Set when stored state still holds mails already handed to the queue (see <see cref="ForgetHandedOverMailAsync"/>).</summary>
    private bool _storedMailHandedOver;

    private async Task PublishAsync()
    {
        ReportOpenSessions();
        await WriteProgressBehindAsync();
        if (State.Account is null && State.AuditOutbox.Count == 0)
        {
            return;
        }

        var batch = State.AuditOutbox.ToArray();
        var snapshot = Snapshot();
        await readModel.WriteAsync(snapshot, batch);
        // Removed in memory only: the next write stores the shorter outbox and session list; a repeat before then is harmless.
        State.AuditOutbox.RemoveRange(0, batch.Length);
        ReleaseIfEmpty(State.AuditOutbox);
        if (snapshot is not null)
        {
            (State.Sessions, State.EndedSessions) = PlaybackRules.Retire(State.Sessions, State.EndedSessions, snapshot.Sessions, Now, Playback);
        }

        if (State.MailOutbox.Count > 0)
        {
            var mails = State.MailOutbox.ToArray();
            await mailQueue.EnqueueAsync(mails);
            State.MailOutbox.RemoveRange(0, mails.Length);
            ReleaseIfEmpty(State.MailOutbox);
            _storedMailHandedOver = true;
        }
    }

    /// <summary>
    /// An outbox is empty between commands for as long as the grain is active, but a list keeps the array it grew to
    /// (four slots after sign-up): 56 bytes per outbox per active user, held for nothing. An emptied list goes back to
    /// the shared empty array (a no-op when it already is one, as on every heartbeat flush); the next entry allocates.
    /// </summary>
    private static void ReleaseIfEmpty<T>(List<T> outbox)
    {
        if (outbox.Count == 0)
        {
            outbox.TrimExcess();
        }
    }

    /// <summary>
    /// Stores the state again once its mails are queued: they may carry a reset link or a code in clear, which must not
    /// wait in grain storage until the user's next change. Best effort: the command has already succeeded, and a copy
    /// left behind is queued again (once, by id) on the next activation and cleared by the next write.
    /// </summary>
    private async Task ForgetHandedOverMailAsync()
    {
        if (!_storedMailHandedOver)
        {
            return;
        }

        try
        {
            await StoreAsync();
            _storedMailHandedOver = false;
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Storing user {UserId} without the mails already queued failed; the next write does it", UserId);
            this.DeactivateOnIdle();
        }
    }

    private UserSnapshot? Snapshot() => State.Account is not { } account
        ? null
        : new UserSnapshot(UserId, State.Version, account.Email, account.FullName, account.Role, account.CreatedAt, State.Devices, State.Sessions)
        {
            Access = State.Access,
        };
}
