namespace Learning.Api.Security;

/// <summary>Recognizes keys copied from documentation or examples, which must never sign production tokens.</summary>
public static class SecretRules
{
    private static readonly string[] SampleMarkers =
        ["changeme", "change-me", "change_me", "replace", "example", "sample", "placeholder", "your-", "your_", "secret-key", "insecure"];

    public static bool LooksLikeSample(string key)
    {
        var lower = key.ToLowerInvariant();
        return SampleMarkers.Any(lower.Contains) || key.Distinct().Count() < 8;
    }
}
