namespace Learning.TestSupport;

/// <summary>
/// The API as a catalog operator's tests need it: a catalog of its own (tests add courses that the demo-catalog
/// tests must not see), no placeholder media (so a lesson plays only what was uploaded), and a small upload limit.
/// </summary>
public sealed class CatalogApiFactory : LearningApiFactory
{
    public const long MaxUploadBytes = 256 * 1024;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Media:ServePlaceholders", "false"),
        new("Media:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private Session? _admin;
    private DateTimeOffset _adminSignedInAt;

    /// <summary>
    /// The demo admin, signed in once and again only when the tests moved the clock far: dozens of sign-ins at one
    /// instant of the frozen test clock would pass Auth:MaxRefreshFamilies and revoke one of them at random.
    /// </summary>
    public async Task<CatalogAdminClient> AdminAsync(ApiClient api)
    {
        if (_admin is null || Clock.GetUtcNow() - _adminSignedInAt > TimeSpan.FromMinutes(30))
        {
            _admin = (await CatalogAdminClient.SignInAsync(api)).Session;
            _adminSignedInAt = Clock.GetUtcNow();
        }

        return new CatalogAdminClient(api, _admin);
    }

    /// <summary>Every file under the media folder (uploads in progress included), relative to it.</summary>
    public IReadOnlyList<string> MediaFiles() =>
        [.. Directory.EnumerateFiles(MediaRoot, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(MediaRoot, f))];
}
