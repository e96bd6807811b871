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
}
