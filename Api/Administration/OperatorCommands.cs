using Learning.Accounts;
using Learning.Administration;
using Learning.Common;
using Learning.Devices;
using Learning.ReadModel;

namespace Learning.Api.Administration;

/// <summary>
/// Operator commands on things a user owns (devices, sessions): the read model names the owner, the owner's grain
/// acts, so the command serializes with that user's own requests. The REST routes and the console pages both call
/// these; the actor is the signed-in admin, audited by the owner's grain.
/// </summary>
public sealed class OperatorCommands(IOperatorQueries queries, IGrainFactory grains)
{
    public static readonly Failure DeviceNotFound = new(ErrorCodes.DeviceNotFound, "Device not found.");
    public static readonly Failure SessionNotFound = new(ErrorCodes.SessionNotFound, "Session not found.");

    public async Task<Result<Done>> DeactivateDeviceAsync(Guid deviceId, Caller admin, CancellationToken cancellationToken) =>
        await queries.FindDeviceOwnerAsync(deviceId, cancellationToken) is { } owner
            ? await grains.GetGrain<IUserGrain>(owner).DeactivateDevice(deviceId, admin.UserId, admin.Client)
            : DeviceNotFound;

    public async Task<Result<Device>> ActivateDeviceAsync(Guid deviceId, Caller admin, CancellationToken cancellationToken) =>
        await queries.FindDeviceOwnerAsync(deviceId, cancellationToken) is { } owner
            ? await grains.GetGrain<IUserGrain>(owner).ActivateDevice(deviceId, admin.UserId, admin.Client)
            : DeviceNotFound;

    public async Task<Result<Done>> EndSessionAsync(Guid sessionId, Caller admin, CancellationToken cancellationToken) =>
        await queries.FindSessionOwnerAsync(sessionId, cancellationToken) is { } owner
            ? await grains.GetGrain<IUserGrain>(owner).EndSession(sessionId, admin.UserId, admin.Client)
            : SessionNotFound;

    /// <summary>
    /// Each owner's devices go to that owner's grain in one call; a status per id, in the order given. A refusal (the
    /// audit backlog is full) refuses the whole command; repeating it is safe, as devices already deactivated answer
    /// <c>already_inactive</c>.
    /// </summary>
    public async Task<Result<IReadOnlyList<DeviceDeactivation>>> DeactivateDevicesAsync(
        IReadOnlyList<Guid> deviceIds, string reason, Caller admin, CancellationToken cancellationToken)
    {
        var owners = await queries.FindDeviceOwnersAsync(deviceIds, cancellationToken);
        var outcomes = await Task.WhenAll(owners.GroupBy(o => o.Value, o => o.Key).Select(devices =>
            grains.GetGrain<IUserGrain>(devices.Key).DeactivateDevices([.. devices], reason.Trim(), admin.UserId, admin.Client)));
        if (outcomes.FirstOrDefault(o => o.Error is not null)?.Error is { } failure)
        {
            return failure;
        }

        var statuses = outcomes.SelectMany(o => o.Value!).ToDictionary(s => s.Id, s => s.Status);
        return Result.Of<IReadOnlyList<DeviceDeactivation>>([.. deviceIds.Select(id =>
            new DeviceDeactivation(id, statuses.GetValueOrDefault(id, DeactivationStatuses.NotFound)))]);
    }
}
