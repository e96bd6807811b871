using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Learning.Common;

namespace Learning.Email.Codes;

/// <summary>What a one-time secret may be used for; part of its stored hash, so a secret made for one purpose never passes for another.</summary>
public static class SecretPurposes
{
    public const string VerifyEmail = "verify_email";
    public const string PasswordReset = "password_reset";
    public const string DeviceCode = "device_code";
}

/// <summary>
/// The secrets mailed to users. Link tokens are <c>{userId:N}.{32 random bytes, URL-safe base64}</c>: the prefix lets an
/// anonymous POST find the user's grain, the rest is the secret. Codes are 6 random digits (about 20 bits), which only
/// short lifetimes and attempt limits make safe. Both are kept only as a hash bound to purpose and user (and, for a
/// code, the device), so a secret works for nothing else.
/// </summary>
public static class OneTimeSecrets
{
    public const int LinkSecretBytes = 32;
    public const int CodeDigits = 6;

    private const int UserIdLength = 32;
    private static readonly int SecretLength = Base64Url.GetEncodedLength(LinkSecretBytes);

    /// <summary>The longest text a link token can be; longer input is not worth parsing.</summary>
    public static int LinkTokenLength => UserIdLength + 1 + SecretLength;

    public static string NewLinkToken(Guid userId) =>
        $"{userId:N}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(LinkSecretBytes))}";

    /// <summary>Reads the user a link token names; false for anything that is not shaped like one.</summary>
    public static bool TryReadUserId(string? token, out Guid userId)
    {
        userId = Guid.Empty;
        if (token is null || token.Length != LinkTokenLength || token[UserIdLength] != '.')
        {
            return false;
        }

        // IsValid first: TryDecodeFromChars throws, rather than answering false, on characters outside the alphabet.
        return Base64Url.IsValid(token.AsSpan(UserIdLength + 1), out var secretBytes)
               && secretBytes == LinkSecretBytes
               && Guid.TryParseExact(token.AsSpan(0, UserIdLength), "N", out userId);
    }

    public static string NewCode() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Six ASCII digits: anything else is malformed input, not a wrong code.</summary>
    public static bool IsCodeShaped(string? code) => code is { Length: CodeDigits } && code.All(char.IsAsciiDigit);

    /// <summary>The stored form of a secret: bound to its purpose, its user and, for device codes, the device.</summary>
    public static string Hash(string purpose, Guid userId, string secret, string? subject = null) =>
        TokenHasher.Hash($"{purpose}\n{userId:N}\n{subject}\n{secret}");

    /// <summary>Compares two stored hashes in constant time.</summary>
    public static bool SameHash(string stored, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(presented));
}
