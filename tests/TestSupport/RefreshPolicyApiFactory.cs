namespace Learning.TestSupport;

/// <summary>The API with a refresh-token reuse grace and a short family lifetime, so both can be walked through with the clock.</summary>
public sealed class RefreshPolicyApiFactory : LearningApiFactory
{
    public static readonly TimeSpan ReuseGrace = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(1);
    public static readonly TimeSpan FamilyLifetime = TimeSpan.FromDays(2);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Auth:RefreshReuseGrace", ReuseGrace.ToString()),
        new("Auth:RefreshTokenLifetime", TokenLifetime.ToString()),
        new("Auth:RefreshFamilyLifetime", FamilyLifetime.ToString()),
    ];
}
