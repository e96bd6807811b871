using Learning.Common;

namespace Learning.Devices;

/// <summary>The device part of a user's grain: at most <c>Limits:MaxActiveDevices</c> active devices.</summary>
[Alias("devices.IUserDevicesGrain")]
public interface IUserDevicesGrain : IGrainWithGuidKey
{
    /// <summary>A <see cref="DeviceRegistration"/>, or a <see cref="DeviceConfirmationRequired"/> for a device never confirmed.</summary>
    [Alias("register-device")]
    Task<Result<DeviceOutcome>> RegisterDevice(Caller caller, RegisterDevice device);

    /// <summary>
    /// Activates the named device (registering it if new) and deactivates every other one: a <see cref="DeviceTransfer"/>,
    /// or a <see cref="DeviceConfirmationRequired"/> for a device never confirmed.
    /// </summary>
    [Alias("transfer-to")]
    Task<Result<DeviceOutcome>> TransferTo(Caller caller, RegisterDevice device);

    /// <summary>
    /// Applies the register or transfer waiting for this device's code, by the device rules as they stand now, and
    /// answers what it answers.
    /// </summary>
    [Alias("confirm-device")]
    Task<Result<DeviceOutcome>> ConfirmDevice(Caller caller, string deviceId, string code);

    /// <summary>Mails a new code for the waiting register or transfer; the previous code stops working.</summary>
    [Alias("resend-device-code")]
    Task<Result<DeviceConfirmationRequired>> ResendDeviceCode(Caller caller, string deviceId);

    /// <summary>The user's devices, most recently used first.</summary>
    [Alias("list")]
    Task<Result<IReadOnlyList<Device>>> ListDevices(Caller caller);

    /// <summary>Deletes a device by our id and ends its sessions.</summary>
    [Alias("revoke")]
    Task<Result<Done>> RevokeDevice(Caller caller, string id);
}
