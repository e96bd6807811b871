namespace Learning.Devices;

/// <summary>Device settings (section <c>Devices</c>).</summary>
public sealed class DeviceOptions
{
    public const string Section = "Devices";

    /// <summary>
    /// When true, registering or transferring to a device the user never confirmed waits for a code mailed to the
    /// account (<c>202 confirmation_required</c>). Off by default: the original clients do not handle that answer.
    /// </summary>
    public bool ConfirmNewDevices { get; set; }
}
