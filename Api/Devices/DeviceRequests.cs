using System.Text.RegularExpressions;
using Learning.Api.Http;
using Learning.Devices;

namespace Learning.Api.Devices;

public static partial class DeviceFields
{
    public static void Validate(RequestErrors errors, string idField, string? deviceId, string nameField, string? deviceName, string? platform)
    {
        if (errors.RequireText(idField, deviceId, 128) && !DeviceIdPattern().IsMatch(deviceId!))
        {
            errors.Add(idField, "Use 1 to 128 characters from A-Z, a-z, 0-9 and . _ : -");
        }

        errors.RequireText(nameField, deviceName, 100);
        if (errors.RequireText("platform", platform, 16) && platform!.ToLowerInvariant() is not ("web" or "android" or "ios"))
        {
            errors.Add("platform", "Must be one of web, android, ios.");
        }
    }

    public static RegisterDevice ToCommand(string deviceId, string deviceName, string platform) =>
        new(deviceId, deviceName.Trim(), Enum.Parse<Platform>(platform, ignoreCase: true));

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex DeviceIdPattern();
}

public sealed record RegisterDeviceRequest(string? DeviceId, string? DeviceName, string? Platform) : IRequestBody
{
    public void Validate(RequestErrors errors) => DeviceFields.Validate(errors, "device_id", DeviceId, "device_name", DeviceName, Platform);

    public RegisterDevice ToCommand() => DeviceFields.ToCommand(DeviceId!, DeviceName!, Platform!);
}

public sealed record TransferDeviceRequest(string? NewDeviceId, string? NewDeviceName, string? Platform) : IRequestBody
{
    public void Validate(RequestErrors errors) => DeviceFields.Validate(errors, "new_device_id", NewDeviceId, "new_device_name", NewDeviceName, Platform);

    public RegisterDevice ToCommand() => DeviceFields.ToCommand(NewDeviceId!, NewDeviceName!, Platform!);
}
