using Learning.Common;
using Learning.Devices;

namespace Learning.Administration;

/// <summary>What an admin may do to a user, through that user's grain so it serializes with the user's own calls.</summary>
[Alias("administration.IUserAdministrationGrain")]
public interface IUserAdministrationGrain : IGrainWithGuidKey
{
    /// <summary>Revokes every refresh family and ends every session (reason <c>ended</c>).</summary>
    [Alias("sign-out")]
    Task<Result<Done>> SignOutEverywhere(Guid actorId, ClientInfo client);

    /// <summary>Deactivates one device (by our id) and ends its sessions (reason <c>device_revoked</c>).</summary>
    [Alias("deactivate-device")]
    Task<Result<Done>> DeactivateDevice(Guid deviceId, Guid actorId, ClientInfo client);

    /// <summary>
    /// Makes one device (by our id) the active one exactly as a transfer to it would, without a confirmation code, and
    /// marks it confirmed.
    /// </summary>
    [Alias("activate-device")]
    Task<Result<Device>> ActivateDevice(Guid deviceId, Guid actorId, ClientInfo client);
}
