using System.Net.Mail;

namespace Learning.Accounts;

public static class EmailAddress
{
    /// <summary>The form emails are compared and keyed in: trimmed and lower-case.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Whether the text (trimmed) is one plain address: no display name, nothing around it.</summary>
    public static bool IsValid(string email) =>
        MailAddress.TryCreate(email.Trim(), out var address) && address.Address == email.Trim();
}
