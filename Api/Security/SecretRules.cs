using System.Text;
using Learning.Hosting;

namespace Learning.Api.Security;

/// <summary>
/// What a signing key must be: long enough for HMAC-SHA256, and outside Development not a value copied from
/// documentation or examples.
/// </summary>
public static class SecretRules
{
    public const int MinimumKeyBytes = 32;

    public static bool LooksLikeSample(string key) => SampleValues.HasSampleMarker(key) || key.Distinct().Count() < 8;

    /// <summary>The problem with the signing key named <paramref name="setting"/> (e.g. <c>Jwt:SigningKey</c>), or null.</summary>
    public static string? CheckSigningKey(string setting, string? key, IHostEnvironment environment)
    {
        if (string.IsNullOrEmpty(key))
        {
            return $"{setting} is required (at least {MinimumKeyBytes} bytes; for example `openssl rand -base64 48`).";
        }

        if (Encoding.UTF8.GetByteCount(key) < MinimumKeyBytes)
        {
            return $"{setting} must be at least {MinimumKeyBytes} bytes.";
        }

        return !environment.IsDevelopment() && LooksLikeSample(key)
            ? $"{setting} looks like a sample value from documentation; generate a real one (openssl rand -base64 48)."
            : null;
    }

    /// <summary>
    /// One key must not sign two kinds of credential: with the JWT key a media URL's signature could be made, and the
    /// other way round. The problem names both settings, or null.
    /// </summary>
    public static string? CheckDistinct(string firstSetting, IEnumerable<string?> first, string secondSetting, IEnumerable<string?> second)
    {
        var firstKeys = first.Where(k => !string.IsNullOrEmpty(k)).ToHashSet(StringComparer.Ordinal);
        return second.Any(k => !string.IsNullOrEmpty(k) && firstKeys.Contains(k))
            ? $"{firstSetting} and {secondSetting} must differ: generate a separate key for each (openssl rand -base64 48)."
            : null;
    }
}
