using Learning.Common;

namespace Learning.Devices;

/// <summary>The device part of a user's grain: at most <c>Limits:MaxActiveDevices</c> active devices.</summary>
[Alias("devices.IUserDevicesGrain")]
public interface IUserDevicesGrain : IGrainWithGuidKey
{
    [Alias("register")]
    Task<Result<DeviceRegistration>> RegisterDevice(Caller caller, RegisterDevice device);

    /// <summary>Activates the named device (registering it if new) and deactivates every other one.</summary>
    [Alias("transfer")]
    Task<Result<Device>> TransferTo(Caller caller, RegisterDevice device);

    /// <summary>The user's devices, most recently used first.</summary>
    [Alias("list")]
    Task<Result<IReadOnlyList<Device>>> ListDevices(Caller caller);

    /// <summary>Deletes a device by our id and ends its sessions.</summary>
    [Alias("revoke")]
    Task<Result<Done>> RevokeDevice(Caller caller, string id);
}
