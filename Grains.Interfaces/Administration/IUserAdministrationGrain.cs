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

    /// <summary>The account, devices and live sessions as this grain holds them; <c>404 user_not_found</c>.</summary>
    [Alias("get-detail")]
    Task<Result<UserDetail>> GetDetail();

    /// <summary>
    /// Deactivates several of this user's devices (by our id) in one step, each audited with the reason; answers a
    /// status per id: <c>deactivated</c>, <c>already_inactive</c> (nothing done, nothing audited) or <c>not_found</c>.
    /// </summary>
    [Alias("deactivate-devices")]
    Task<Result<IReadOnlyList<DeviceDeactivation>>> DeactivateDevices(
        IReadOnlyList<Guid> deviceIds, string reason, Guid actorId, ClientInfo client);

    /// <summary>
    /// Refuses every sign-in (<c>403 account_disabled</c>), revokes every refresh family and ends every session
    /// (reason <c>ended</c>). Disabling a disabled account changes nothing.
    /// </summary>
    [Alias("disable")]
    Task<Result<Done>> Disable(Guid actorId, ClientInfo client);

    /// <summary>Allows sign-in again; enabling an enabled account changes nothing.</summary>
    [Alias("enable")]
    Task<Result<Done>> Enable(Guid actorId, ClientInfo client);

    /// <summary>Clears a lockout and the count of failed logins.</summary>
    [Alias("unlock")]
    Task<Result<Done>> Unlock(Guid actorId, ClientInfo client);

    /// <summary>Ends one live session (reason <c>ended</c>); <c>404 session_not_found</c> when none by that id is live.</summary>
    [Alias("end-session")]
    Task<Result<Done>> EndSession(Guid sessionId, Guid actorId, ClientInfo client);
}
