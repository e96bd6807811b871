namespace Learning.TestSupport;

/// <summary>
/// The API with token policies a few test classes walk through with the clock, in one host (each host costs about a
/// CPU-second to start): one-minute access tokens and a short playback session lifetime, a refresh-token reuse grace
/// and a short family lifetime, and both signing keys rotated (the factory's usual keys are now the previous ones).
/// The settings touch separate things, and every test signs up a user of its own.
/// </summary>
public sealed class TokenPolicyApiFactory : LearningApiFactory
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan ReuseGrace = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(1);
    public static readonly TimeSpan FamilyLifetime = TimeSpan.FromDays(2);

    public const string OldJwtKey = SigningKey;
    public const string OldMediaKey = SigningKey + "-media";
    public const string NewJwtKey = "the-new-jwt-signing-key-after-rotation-0123456789";
    public const string NewMediaKey = "the-new-media-signing-key-after-rotation-0123456789";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Jwt:AccessTokenLifetime", AccessTokenLifetime.ToString()),
        new("Playback:SessionLifetime", SessionLifetime.ToString()),
        new("Auth:RefreshReuseGrace", ReuseGrace.ToString()),
        new("Auth:RefreshTokenLifetime", TokenLifetime.ToString()),
        new("Auth:RefreshFamilyLifetime", FamilyLifetime.ToString()),
        new("Jwt:SigningKey", NewJwtKey),
        new("Jwt:PreviousSigningKeys:0", OldJwtKey),
        new("Media:SigningKey", NewMediaKey),
        new("Media:PreviousSigningKeys:0", OldMediaKey),
    ];
}
