using Learning.Accounts;
using Learning.Devices;

namespace Learning.Common;

/// <summary>The lower-case names enums have in JSON, audit metadata, tokens and tables.</summary>
public static class WireNames
{
    public static string WireName(this Platform platform) => PlatformNames.Of(platform);

    public static string WireName(this Role role) => RoleNames.Of(role);
}
