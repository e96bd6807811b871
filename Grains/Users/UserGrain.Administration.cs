using Learning.Audit;
using Learning.Common;
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
}
