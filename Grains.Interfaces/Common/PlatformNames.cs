using Learning.Devices;

namespace Learning.Common;

/// <summary>The device platforms as clients send them and as JSON, audit metadata and tables spell them.</summary>
public static class PlatformNames
{
    public const string Web = "web";
    public const string Android = "android";
    public const string Ios = "ios";

    public static readonly IReadOnlyList<string> All = [Web, Android, Ios];

    public static string Of(Platform platform) => platform switch
    {
        Platform.Web => Web,
        Platform.Android => Android,
        Platform.Ios => Ios,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, "Unknown platform."),
    };

    /// <summary>Reads a platform name, ignoring case (the original clients send <c>web</c>, some <c>Web</c>).</summary>
    public static bool TryParse(string? name, out Platform platform)
    {
        platform = default;
        foreach (var candidate in Enum.GetValues<Platform>())
        {
            if (string.Equals(name, Of(candidate), StringComparison.OrdinalIgnoreCase))
            {
                platform = candidate;
                return true;
            }
        }

        return false;
    }
}
