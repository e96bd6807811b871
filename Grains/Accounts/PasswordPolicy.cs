using Zxcvbn.Matcher;

namespace Learning.Accounts;

/// <summary>
/// The contract's password rules (at least 8 characters, not all digits, not the email), and ASVS 5.0 6.2.4: no
/// common or easily guessed password, judged by zxcvbn with the user's own email and name as extra words.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 256;

    /// <summary>zxcvbn's score from 0 to 4; 3 means "safely unguessable: moderate protection from offline attacks".</summary>
    public const int MinimumScore = 3;

    /// <summary>
    /// zxcvbn is judged on at most this many leading characters: its matching grows faster than the length (about
    /// 0.2 s at 64 characters, 2 s at 256 here), and a prefix this long that is guessable is a poor password anyway.
    /// </summary>
    public const int StrengthCheckedLength = 64;

    // Loading the word lists takes about a second, once; an instance is safe to share between threads.
    private static readonly Lazy<Zxcvbn.Zxcvbn> Estimator = new(() => new Zxcvbn.Zxcvbn());

    /// <returns>Why the password is refused, or null when it is acceptable.</returns>
    public static string? Check(string password, string normalizedEmail, string fullName)
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

        var strength = Score(password, normalizedEmail, fullName);
        return strength.Score >= MinimumScore ? null : Feedback(strength.MatchSequence);
    }

    /// <summary>A new password follows every rule above and is not the current one (ASVS 5.0 6.2.2).</summary>
    public static string? CheckChange(string currentPassword, string newPassword, string normalizedEmail, string fullName) =>
        newPassword == currentPassword
            ? "The new password must differ from the current one."
            : Check(newPassword, normalizedEmail, fullName);

    public static Zxcvbn.Result Score(string password, string normalizedEmail, string fullName) =>
        Estimator.Value.EvaluatePassword(password[..Math.Min(password.Length, StrengthCheckedLength)], UserWords(normalizedEmail, fullName));

    /// <summary>Words an attacker who knows the user would try first: the email, its local part and its pieces, the name and its parts.</summary>
    public static IReadOnlyList<string> UserWords(string normalizedEmail, string fullName)
    {
        var local = normalizedEmail.Split('@')[0];
        char[] separators = [' ', '.', '-', '_', '+'];
        return [.. new[] { normalizedEmail, local, fullName.Trim() }
            .Concat(local.Split(separators))
            .Concat(fullName.Split(separators))
            .Where(word => word.Length >= 3)
            .Select(word => word.ToLowerInvariant())
            .Distinct()];
    }

    /// <summary>zxcvbn 1.x scores but gives no advice; this says what made the password guessable, in zxcvbn's words.</summary>
    private static string Feedback(IEnumerable<Zxcvbn.Match> matches)
    {
        var list = matches.ToList();
        var why = list.OfType<DictionaryMatch>().Any(m => m.DictionaryName == "user_inputs")
            ? "Passwords built from your name or email address are easy to guess."
            : list.OfType<DictionaryMatch>().Any(m => m.DictionaryName == "passwords")
            ? "This is or contains a commonly used password, which is easy to guess."
            : list.Any(m => m.Pattern == "spatial")
            ? "Rows of keys and short keyboard patterns are easy to guess."
            : list.Any(m => m.Pattern == "sequence")
            ? "Sequences like abc or 6543 are easy to guess."
            : list.Any(m => m.Pattern == "repeat")
            ? "Repeats like aaa or abcabc are easy to guess."
            : list.Any(m => m.Pattern is "date" or "year")
            ? "Dates and years are easy to guess."
            : "This password is too easy to guess.";
        return why + " Add another word or two; uncommon words are better.";
    }
}
