namespace Learning.Accounts;

/// <summary>The contract's password rules: at least 8 characters, not all digits, not the email.</summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 256;

    /// <returns>Why the password is refused, or null when it is acceptable.</returns>
    public static string? Check(string password, string normalizedEmail)
    {
        if (password.Length < MinimumLength)
        {
            return $"Password must be at least {MinimumLength} characters.";
        }

        if (password.Length > MaximumLength)
        {
            return $"Password must be at most {MaximumLength} characters.";
        }

        if (password.All(char.IsAsciiDigit))
        {
            return "Password must not be entirely numeric.";
        }

        if (EmailAddress.Normalize(password) == normalizedEmail)
        {
            return "Password must not be the email address.";
        }

        return null;
    }
}
