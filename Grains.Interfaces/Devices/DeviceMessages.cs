namespace Learning.Devices;

[GenerateSerializer, Alias("devices.platform")]
public enum Platform
{
    Web = 0,
    Android = 1,
    Ios = 2,
}

/// <summary>A device as clients see it: <see cref="Id"/> is ours, <see cref="DeviceId"/> the client's own identifier.</summary>
[GenerateSerializer, Immutable, Alias("devices.device")]
public sealed record Device(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] string DeviceName,
    [property: Id(3)] Platform Platform,
    [property: Id(4)] bool IsActive,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset LastAccessed);

[GenerateSerializer, Immutable, Alias("devices.register")]
public sealed record RegisterDevice(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string DeviceName,
    [property: Id(2)] Platform Platform);

/// <summary>What a register, a transfer, or the confirmation of either answers.</summary>
[GenerateSerializer, Immutable, Alias("devices.outcome")]
public abstract record DeviceOutcome;

/// <summary>The device after a register: <see cref="Created"/> is false when it was already active (an idempotent repeat).</summary>
[GenerateSerializer, Immutable, Alias("devices.registration")]
public sealed record DeviceRegistration(
    [property: Id(0)] bool Created,
    [property: Id(1)] Device Device) : DeviceOutcome;

/// <summary>The device a transfer made the active one.</summary>
[GenerateSerializer, Immutable, Alias("devices.transfer")]
public sealed record DeviceTransfer([property: Id(0)] Device Device) : DeviceOutcome;

/// <summary>
/// Nothing changed yet: the device was never confirmed (<c>Devices:ConfirmNewDevices</c>), so a code was mailed and the
/// register or transfer waits for it. Also the answer of a resend.
/// </summary>
[GenerateSerializer, Immutable, Alias("devices.confirmation-required")]
public sealed record DeviceConfirmationRequired(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] int ExpiresInSeconds,
    [property: Id(2)] int ResendAfterSeconds) : DeviceOutcome;
