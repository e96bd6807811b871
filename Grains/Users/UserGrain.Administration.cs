using Learning.Accounts;
using Learning.Administration;
using Learning.Audit;
using Learning.Common;
using Learning.Devices;
using Learning.Email.Codes;
using Learning.Playback;

namespace Learning.Users;

public sealed partial class UserGrain
{
    public async Task<Result<Done>> SignOutEverywhere(Guid actorId, ClientInfo client)
    {
        if (State.Account is null)
        {
            return new Failure(ErrorCodes.UserNotFound, "User not found.");
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var revoked = RevokeFamilies(_ => true, Now);
        EndSessions(_ => true, EndReasons.Ended, client);
        Audit(AuditActions.Logout, client, AuditMetadata.Of(("by_admin", true), ("actor_id", actorId), ("sessions_revoked", revoked)));
        await CommitAsync();
        return Done.Instance;
    }

    public async Task<Result<Done>> DeactivateDevice(Guid deviceId, Guid actorId, ClientInfo client)
    {
        if (State.Devices.Find(d => d.Id == deviceId) is not { } device)
        {
            return DeviceNotFound;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        State.Devices = State.Devices.Replace(device, device with { IsActive = false });
        EndSessionsOn([device.Id], EndReasons.DeviceRevoked, client);
        Audit(AuditActions.DeviceDeactivate, client, AuditMetadata.Of(
            ("device_id", device.DeviceId), ("device_name", device.DeviceName), ("actor_id", actorId), ("by_admin", true)));
        await CommitAsync();
        return Done.Instance;
    }

    public async Task<Result<Device>> ActivateDevice(Guid deviceId, Guid actorId, ClientInfo client)
    {
        if (State.Devices.Find(d => d.Id == deviceId) is not { } device)
        {
            return DeviceNotFound;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var (devices, activated, deactivated) = DeviceRules.Transfer(
            State.Devices, new RegisterDevice(device.DeviceId, device.DeviceName, device.Platform), Guid.NewGuid(), Now, Limits);
        State.Devices = devices;
        // An admin vouches for the device: no code is asked for it, now or after it is dropped from the list.
        State.DeviceConfirmations = DeviceCodeRules.MarkConfirmed(
            DeviceCodeRules.Forget(State.DeviceConfirmations, device.DeviceId), device.DeviceId);
        EndSessionsOn(deactivated.Select(d => d.Id), EndReasons.DeviceTransferred, client);
        Audit(AuditActions.DeviceActivate, client, AuditMetadata.Of(
            ("device_id", activated.DeviceId), ("device_name", activated.DeviceName), ("actor_id", actorId), ("by_admin", true),
            ("deactivated_device_ids", deactivated.Select(d => d.DeviceId).ToArray())));
        await CommitAsync();
        return activated;
    }

    public Task<Result<UserDetail>> GetDetail()
    {
        if (State.Account is not { } account)
        {
            return Task.FromResult<Result<UserDetail>>(UserNotFound);
        }

        SettleSessions(Now);
        var window = LiveSessionWindow.Current(clock, Playback);
        var live = State.Sessions.Where(window.IsLive).Select(s => new LiveSessionView(
            s.Id, s.DeviceId, s.DeviceName, s.LessonId, s.LessonTitle, s.StartedAt, s.LastHeartbeat, s.ExpiresAt, s.WatchTimeSeconds)).ToList();
        return Task.FromResult<Result<UserDetail>>(new UserDetail(
            Profile(account), account.Disabled, LockoutRules.LockRemaining(State.Throttle, Now) is null ? null : State.Throttle.LockedUntil,
            State.Devices, live));
    }

    public async Task<Result<IReadOnlyList<DeviceDeactivation>>> DeactivateDevices(
        IReadOnlyList<Guid> deviceIds, string reason, Guid actorId, ClientInfo client)
    {
        var (statuses, toDeactivate) = AdministrationRules.PlanDeactivation(State.Devices, deviceIds);
        if (toDeactivate.Count == 0)
        {
            return Result.Of(statuses);
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        foreach (var device in toDeactivate)
        {
            State.Devices = State.Devices.Replace(device, device with { IsActive = false });
            EndSessionsOn([device.Id], EndReasons.DeviceRevoked, client);
            Audit(AuditActions.DeviceDeactivate, client, AuditMetadata.Of(
                ("device_id", device.DeviceId), ("device_name", device.DeviceName), ("actor_id", actorId), ("by_admin", true),
                ("reason", reason)));
        }

        await CommitAsync();
        return Result.Of(statuses);
    }

    public async Task<Result<Done>> Disable(Guid actorId, ClientInfo client)
    {
        if (State.Account is not { } account)
        {
            return UserNotFound;
        }

        if (AdministrationRules.RefuseDisable(UserId, actorId) is { } refused)
        {
            return refused;
        }

        if (account.Disabled)
        {
            return Done.Instance;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        State.Account = account with { Disabled = true };
        var revoked = RevokeFamilies(_ => true, Now);
        EndSessions(_ => true, EndReasons.Ended, client, actorId);
        Audit(AuditActions.UserDisable, client, AuditMetadata.Of(("actor_id", actorId), ("sessions_revoked", revoked)));
        await CommitAsync();
        return Done.Instance;
    }

    public async Task<Result<Done>> Enable(Guid actorId, ClientInfo client)
    {
        if (State.Account is not { } account)
        {
            return UserNotFound;
        }

        if (!account.Disabled)
        {
            return Done.Instance;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        State.Account = account with { Disabled = false };
        Audit(AuditActions.UserEnable, client, AuditMetadata.Of(("actor_id", actorId)));
        await CommitAsync();
        return Done.Instance;
    }

    public async Task<Result<Done>> Unlock(Guid actorId, ClientInfo client)
    {
        if (State.Account is null)
        {
            return UserNotFound;
        }

        if (State.Throttle.ConsecutiveFailures == 0 && State.Throttle.LockedUntil is null)
        {
            return Done.Instance;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var wasLockedUntil = LockoutRules.LockRemaining(State.Throttle, Now) is null ? null : State.Throttle.LockedUntil;
        Audit(AuditActions.AccountUnlock, client, AuditMetadata.Of(
            ("actor_id", actorId), ("locked_until", wasLockedUntil?.UtcDateTime), ("consecutive_failures", State.Throttle.ConsecutiveFailures)));
        State.Throttle = LoginThrottle.None;
        await CommitAsync();
        return Done.Instance;
    }

    public async Task<Result<Done>> EndSession(Guid sessionId, Guid actorId, ClientInfo client)
    {
        SettleSessions(Now);
        if (State.Sessions.Find(s => s.Id == sessionId && !s.IsEnded) is not { } session)
        {
            return SessionNotFound;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        EndSession(session, EndReasons.Ended, client, actorId);
        await CommitAsync();
        return Done.Instance;
    }

    // UserNotFound is declared in UserGrain.Access.cs (h/access).

    /// <summary>
    /// A disabled account cannot sign in again to learn why its lesson stopped, so a heartbeat carrying a token of one of
    /// its ended sessions (the token proves the caller) is answered <c>410</c> with the reason rather than only
    /// <c>401 token_revoked</c>.
    /// </summary>
    private Failure? AuthorizeBeat(Caller caller, string sessionToken)
    {
        var refused = Authorize(caller);
        return refused is not null && caller.UserId == UserId && State.Account is { Disabled: true }
               && FindSession(sessionToken) is (_, { } ended)
            ? Expired(ended)
            : refused;
    }
}
