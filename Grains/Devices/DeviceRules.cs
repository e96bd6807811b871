using System.Collections.Immutable;

namespace Learning.Devices;

public abstract record RegisterDecision
{
    /// <summary>The device is already active: an idempotent repeat that only refreshes it.</summary>
    public sealed record AlreadyActive(ImmutableList<Device> Devices, Device Device) : RegisterDecision;

    /// <summary>The device becomes active (new, or an inactive one coming back).</summary>
    public sealed record Activated(ImmutableList<Device> Devices, Device Device) : RegisterDecision;

    /// <summary>The active-device limit is reached; nothing changes.</summary>
    public sealed record Refused(Device ActiveDevice) : RegisterDecision;
}

/// <summary>The contract's device rules, on the user's device list.</summary>
public static class DeviceRules
{
    public static RegisterDecision DecideRegister(ImmutableList<Device> devices, RegisterDevice request, Guid newId, DateTimeOffset now, LimitsOptions limits)
    {
        var existing = devices.Find(d => d.DeviceId == request.DeviceId);
        if (existing is { IsActive: true })
        {
            var refreshed = Touch(existing, request, now);
            return new RegisterDecision.AlreadyActive(devices.Replace(existing, refreshed), refreshed);
        }

        var active = devices.Where(d => d.IsActive).ToList();
        if (active.Count >= limits.MaxActiveDevices)
        {
            return new RegisterDecision.Refused(active.MaxBy(d => d.LastAccessed)!);
        }

        var device = existing is null ? Create(newId, request, now) : Touch(existing, request, now) with { IsActive = true };
        var updated = existing is null ? devices.Add(device) : devices.Replace(existing, device);
        return new RegisterDecision.Activated(Trim(updated, limits), device);
    }

    /// <summary>Activates the named device (registering it if new) and deactivates every other one.</summary>
    /// <returns>The new list, the activated device and the devices this deactivated.</returns>
    public static (ImmutableList<Device> Devices, Device Activated, IReadOnlyList<Device> Deactivated) Transfer(
        ImmutableList<Device> devices, RegisterDevice request, Guid newId, DateTimeOffset now, LimitsOptions limits)
    {
        var existing = devices.Find(d => d.DeviceId == request.DeviceId);
        var target = existing is null ? Create(newId, request, now) : Touch(existing, request, now) with { IsActive = true };
        var deactivated = devices.Where(d => d.IsActive && d.Id != target.Id).ToList();
        var updated = devices
            .Where(d => d.Id != target.Id)
            .Select(d => d.IsActive ? d with { IsActive = false } : d)
            .Append(target)
            .ToImmutableList();
        return (Trim(updated, limits), target, deactivated);
    }

    /// <summary>Most recently used first, as the list route answers.</summary>
    public static IReadOnlyList<Device> MostRecentFirst(IEnumerable<Device> devices) =>
        devices.OrderByDescending(d => d.LastAccessed).ThenByDescending(d => d.CreatedAt).ToList();

    /// <summary>Keeps at most <see cref="LimitsOptions.MaxDevicesPerUser"/>, dropping the least recently used inactive ones.</summary>
    public static ImmutableList<Device> Trim(ImmutableList<Device> devices, LimitsOptions limits)
    {
        var surplus = devices.Count - limits.MaxDevicesPerUser;
        return surplus <= 0
            ? devices
            : devices.RemoveRange(devices.Where(d => !d.IsActive).OrderBy(d => d.LastAccessed).Take(surplus));
    }

    private static Device Create(Guid id, RegisterDevice request, DateTimeOffset now) =>
        new(id, request.DeviceId, request.DeviceName, request.Platform, IsActive: true, CreatedAt: now, LastAccessed: now);

    private static Device Touch(Device device, RegisterDevice request, DateTimeOffset now) =>
        device with { DeviceName = request.DeviceName, Platform = request.Platform, LastAccessed = now };
}
