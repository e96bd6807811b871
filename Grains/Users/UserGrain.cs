using Learning.Accounts;
using Learning.Audit;
using Learning.Catalog;
using Learning.Devices;
using Learning.Playback;
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
    IOptions<LimitsOptions> limitsOptions,
    IOptions<PlaybackOptions> playbackOptions,
    CourseCatalog catalog,
    IAuditSink auditSink,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private UserState State => state.State;

    private Guid UserId => this.GetPrimaryKey();

    private DateTimeOffset Now => clock.GetUtcNow();

    private LimitsOptions Limits => limitsOptions.Value;

    private PlaybackOptions Playback => playbackOptions.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => DeliverAuditAsync();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_heartbeatsUnsaved)
        {
            await CommitAsync();
        }
    }

    /// <summary>Stores the change, then delivers its audit entries; callers answer only after this returns.</summary>
    private async Task CommitAsync()
    {
        await state.WriteStateAsync();
        _heartbeatsUnsaved = false;
        await DeliverAuditAsync();
    }

    private void Audit(string action, ClientInfo client, string metadataJson = AuditMetadata.Empty) =>
        State.AuditOutbox.Add(new AuditEntry(
            AuditIds.Next(Now), UserId, State.Account?.Email, action,
            client.IpAddress, client.UserAgent, metadataJson, Now));

    private async Task DeliverAuditAsync()
    {
        if (State.AuditOutbox.Count == 0)
        {
            return;
        }

        var batch = State.AuditOutbox.ToArray();
        try
        {
            await auditSink.AppendAsync(batch);
            // Removed in memory only: the next write persists it, and a re-send before then is idempotent.
            State.AuditOutbox.RemoveRange(0, batch.Length);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Audit delivery of {Count} entries for user {UserId} failed; they stay in the outbox", batch.Length, UserId);
        }
    }
}
