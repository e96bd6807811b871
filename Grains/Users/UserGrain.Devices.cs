using Learning.Audit;
using Learning.Common;
using Learning.Devices;
using Learning.Hosting;
using Learning.Playback;

namespace Learning.Users;

public sealed partial class UserGrain
{
    private static readonly Failure DeviceNotFound = new(ErrorCodes.DeviceNotFound, "Device not found.");

    public async Task<Result<DeviceRegistration>> RegisterDevice(Caller caller, RegisterDevice request)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        switch (DeviceRules.DecideRegister(State.Devices, request, Guid.NewGuid(), Now, Limits))
        {
            case RegisterDecision.Refused(var active):
                metrics.DeviceRegistrations.Add(1, BusinessMetrics.Outcome("conflict"));
                return new Failure(ErrorCodes.ActiveDeviceExists, "You already have an active device. Transfer to this device or revoke the other one first.")
                {
                    ActiveDevice = new ActiveDeviceSummary(active.Id, active.DeviceName, active.Platform.WireName()),
                };

            case RegisterDecision.AlreadyActive(var devices, var device):
                State.Devices = devices;
                await CommitAsync();
                metrics.DeviceRegistrations.Add(1, BusinessMetrics.Outcome("repeated"));
                return new DeviceRegistration(Created: false, device);

            case RegisterDecision.Activated(var devices, var device):
                State.Devices = devices;
                Audit(AuditActions.DeviceRegister, caller.Client, DeviceMetadata(device));
                await CommitAsync();
                metrics.DeviceRegistrations.Add(1, BusinessMetrics.Outcome("created"));
                return new DeviceRegistration(Created: true, device);

            default:
                throw new InvalidOperationException("Unknown register decision.");
        }
    }

    public async Task<Result<Device>> TransferTo(Caller caller, RegisterDevice request)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var (devices, activated, deactivated) = DeviceRules.Transfer(State.Devices, request, Guid.NewGuid(), Now, Limits);
        State.Devices = devices;
        EndSessionsOn(deactivated.Select(d => d.Id), EndReasons.DeviceTransferred, caller.Client);
        Audit(AuditActions.DeviceTransfer, caller.Client, AuditMetadata.Of(
            ("device_id", activated.DeviceId), ("device_name", activated.DeviceName), ("platform", activated.Platform.WireName()),
            ("deactivated_device_ids", deactivated.Select(d => d.DeviceId).ToArray())));
        await CommitAsync();
        metrics.DeviceTransfers.Add(1);
        return activated;
    }

    public Task<Result<IReadOnlyList<Device>>> ListDevices(Caller caller) =>
        Task.FromResult<Result<IReadOnlyList<Device>>>(Authorize(caller) is { } refused
            ? refused
            : Result.Of(DeviceRules.MostRecentFirst(State.Devices)));

    public async Task<Result<Done>> RevokeDevice(Caller caller, string id)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        if (!Guid.TryParse(id, out var deviceId) || State.Devices.Find(d => d.Id == deviceId) is not { } device)
        {
            return DeviceNotFound;
        }

        State.Devices = State.Devices.Remove(device);
        EndSessionsOn([device.Id], EndReasons.DeviceRevoked, caller.Client);
        Audit(AuditActions.DeviceRevoke, caller.Client, DeviceMetadata(device));
        await CommitAsync();
        return Done.Instance;
    }

    private static string DeviceMetadata(Device device) => AuditMetadata.Of(
        ("device_id", device.DeviceId), ("device_name", device.DeviceName), ("platform", device.Platform.WireName()));
}
