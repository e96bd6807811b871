namespace Learning.Accounts;

public static class EmailAddress
{
    /// <summary>The form emails are compared and keyed in: trimmed and lower-case.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
