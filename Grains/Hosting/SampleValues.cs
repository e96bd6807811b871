namespace Learning.Hosting;

/// <summary>
/// The one home of "this value was copied from documentation or an example file" (docker/.env.example, README):
/// signing keys and the passwords inside connection strings are refused outside Development when they match.
/// </summary>
public static class SampleValues
{
    private static readonly string[] Markers =
        ["changeme", "change-me", "change_me", "replace", "example", "sample", "placeholder", "your-", "your_", "secret-key", "insecure"];

    public static bool HasSampleMarker(string value)
    {
        var lower = value.ToLowerInvariant();
        return Markers.Any(lower.Contains);
    }

    /// <summary>The problem with the password in connection string <paramref name="setting"/>, or null.</summary>
    public static string? CheckConnectionPassword(string setting, string? password) =>
        password is { Length: > 0 } && HasSampleMarker(password)
            ? $"{setting} has a sample password (from docker/.env.example or the docs); generate a real one (openssl rand -base64 48 | tr -d '/+=')."
            : null;
}
