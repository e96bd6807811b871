using Learning.Audit;
using Learning.Common;
using Learning.Devices;
using Learning.Email.Codes;
using Learning.Hosting;
using Learning.Playback;

namespace Learning.Users;

public sealed partial class UserGrain
{
    private static readonly Failure DeviceNotFound = new(ErrorCodes.DeviceNotFound, "Device not found.");

    private DeviceOptions DeviceSettings => deviceOptions.Value;

    public async Task<Result<DeviceOutcome>> RegisterDevice(Caller caller, RegisterDevice request)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        if (NeedsConfirmation(request.DeviceId))
        {
            return await RequireConfirmation(DeviceOperation.Register, request, caller.Client);
        }

        var outcome = ApplyRegister(request, caller.Client);
        if (outcome.Succeeded)
        {
            // A refused registration stores nothing.
            await CommitAsync();
        }

        return outcome;
    }

    public async Task<Result<DeviceOutcome>> TransferTo(Caller caller, RegisterDevice request)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        if (NeedsConfirmation(request.DeviceId))
        {
            return await RequireConfirmation(DeviceOperation.Transfer, request, caller.Client);
        }

        var outcome = ApplyTransfer(request, caller.Client);
        await CommitAsync();
        return outcome;
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
        State.DeviceConfirmations = DeviceCodeRules.Forget(State.DeviceConfirmations, device.DeviceId);
        EndSessionsOn([device.Id], EndReasons.DeviceRevoked, caller.Client);
        Audit(AuditActions.DeviceRevoke, caller.Client, DeviceMetadata(device));
        await CommitAsync();
        return Done.Instance;
    }

    /// <summary>Applies the device rules to a register, changing state but storing nothing.</summary>
    private Result<DeviceOutcome> ApplyRegister(RegisterDevice request, ClientInfo client)
    {
        var isNew = !State.Devices.Exists(d => d.DeviceId == request.DeviceId);
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
                metrics.DeviceRegistrations.Add(1, BusinessMetrics.Outcome("repeated"));
                return new DeviceRegistration(Created: false, device);

            case RegisterDecision.Activated(var devices, var device):
                State.Devices = devices;
                Audit(AuditActions.DeviceRegister, client, DeviceMetadata(device));
                MailIfNew(isNew, device);
                metrics.DeviceRegistrations.Add(1, BusinessMetrics.Outcome("created"));
                return new DeviceRegistration(Created: true, device);

            default:
                throw new InvalidOperationException("Unknown register decision.");
        }
    }

    /// <summary>Applies the device rules to a transfer, changing state but storing nothing.</summary>
    private DeviceTransfer ApplyTransfer(RegisterDevice request, ClientInfo client)
    {
        var isNew = !State.Devices.Exists(d => d.DeviceId == request.DeviceId);
        var (devices, activated, deactivated) = DeviceRules.Transfer(State.Devices, request, Guid.NewGuid(), Now, Limits);
        State.Devices = devices;
        EndSessionsOn(deactivated.Select(d => d.Id), EndReasons.DeviceTransferred, client);
        Audit(AuditActions.DeviceTransfer, client, AuditMetadata.Of(
            ("device_id", activated.DeviceId), ("device_name", activated.DeviceName), ("platform", activated.Platform.WireName()),
            ("deactivated_device_ids", deactivated.Select(d => d.DeviceId).ToArray())));
        MailIfNew(isNew, activated);
        metrics.DeviceTransfers.Add(1);
        return new DeviceTransfer(activated);
    }

    /// <summary>A device the account has never had became active: the owner hears of it.</summary>
    private void MailIfNew(bool isNew, Device device)
    {
        if (isNew)
        {
            Mail(composer.NewDeviceActive(UserId, State.Account!.Email, State.Account.FullName, device.DeviceName, Now));
        }
    }

    private static string DeviceMetadata(Device device) => AuditMetadata.Of(
        ("device_id", device.DeviceId), ("device_name", device.DeviceName), ("platform", device.Platform.WireName()));
}
