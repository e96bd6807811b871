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

/// <summary>The device after a register: <see cref="Created"/> is false when it was already active (an idempotent repeat).</summary>
[GenerateSerializer, Immutable, Alias("devices.registration")]
public sealed record DeviceRegistration(
    [property: Id(0)] bool Created,
    [property: Id(1)] Device Device);
