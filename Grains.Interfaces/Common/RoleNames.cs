using Learning.Accounts;

namespace Learning.Common;

/// <summary>The roles as tokens, JSON, authorization checks and tables spell them.</summary>
public static class RoleNames
{
    public const string Student = "student";
    public const string Admin = "admin";

    public static string Of(Role role) => role switch
    {
        Role.Student => Student,
        Role.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    /// <summary>Reads a role name, ignoring case.</summary>
    public static bool TryParse(string? name, out Role role)
    {
        role = default;
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (string.Equals(name, Of(candidate), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        return false;
    }
}
