using Learning.Api.Http;
using Learning.Common;
using Learning.Devices;
using Learning.Email.Codes;

namespace Learning.Api.Devices;

/// <summary>The contract's rules for the device fields of register, transfer and video start.</summary>
public static class DeviceFields
{
    public const int MaxDeviceIdLength = 128;
    public const int MaxDeviceNameLength = 100;

    /// <summary>
    /// A client's own device identifier: 1 to 128 printable ASCII characters, spaces included but not at either end
    /// (the original mobile clients send <c>ios-iPhone 15 Pro-1733012345678</c>).
    /// </summary>
    public static bool IsValidDeviceId(string? deviceId) =>
        deviceId is { Length: > 0 and <= MaxDeviceIdLength }
        && deviceId[0] != ' ' && deviceId[^1] != ' '
        && deviceId.All(c => c is >= ' ' and <= '~');

    public static void ValidateDeviceId(RequestErrors errors, string field, string? deviceId)
    {
        if (errors.RequireText(field, deviceId, MaxDeviceIdLength) && !IsValidDeviceId(deviceId))
        {
            errors.Add(field, $"Use 1 to {MaxDeviceIdLength} printable ASCII characters, no space at either end.");
        }
    }

    public static void Validate(
        RequestErrors errors, string idField, string? deviceId, string nameField, string? deviceName, string? platform)
    {
        ValidateDeviceId(errors, idField, deviceId);
        errors.RequireText(nameField, deviceName, MaxDeviceNameLength);
        if (errors.RequireText("platform", platform, 16) && !PlatformNames.TryParse(platform, out _))
        {
            errors.Add("platform", $"Must be one of {string.Join(", ", PlatformNames.All)}.");
        }
    }

    public static RegisterDevice ToCommand(string deviceId, string deviceName, string platform) =>
        new(deviceId, deviceName.Trim(), PlatformNames.TryParse(platform, out var parsed)
            ? parsed
            : throw new ArgumentException($"Unknown platform '{platform}'; validate first.", nameof(platform)));
}

public sealed record RegisterDeviceRequest(string? DeviceId, string? DeviceName, string? Platform) : IRequestBody
{
    public void Validate(RequestErrors errors) =>
        DeviceFields.Validate(errors, "device_id", DeviceId, "device_name", DeviceName, Platform);

    public RegisterDevice ToCommand() => DeviceFields.ToCommand(DeviceId!, DeviceName!, Platform!);
}

public sealed record TransferDeviceRequest(string? NewDeviceId, string? NewDeviceName, string? Platform) : IRequestBody
{
    public void Validate(RequestErrors errors) =>
        DeviceFields.Validate(errors, "new_device_id", NewDeviceId, "new_device_name", NewDeviceName, Platform);

    public RegisterDevice ToCommand() => DeviceFields.ToCommand(NewDeviceId!, NewDeviceName!, Platform!);
}

public sealed record ConfirmDeviceRequest(string? DeviceId, string? Code) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        DeviceFields.ValidateDeviceId(errors, "device_id", DeviceId);
        if (errors.RequireText("code", Code, OneTimeSecrets.CodeDigits) && !OneTimeSecrets.IsCodeShaped(Code))
        {
            errors.Add("code", $"Enter the {OneTimeSecrets.CodeDigits} digits we mailed you.");
        }
    }
}

public sealed record ResendDeviceCodeRequest(string? DeviceId) : IRequestBody
{
    public void Validate(RequestErrors errors) => DeviceFields.ValidateDeviceId(errors, "device_id", DeviceId);
}
