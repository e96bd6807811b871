using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

/// <summary>
/// The API with mail delivered for real (to a folder of this factory's own) and links pointing at the test client's
/// address, with production-strength password hashing, so that a hash on one path of a request would show in its timing.
/// </summary>
public class EmailApiFactory : LearningApiFactory
{
    public string MailFolder { get; } = Directory.CreateTempSubdirectory("learning-mail-").FullName;

    public Mailbox Mailbox => new(MailFolder);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Email:PickupDirectory", MailFolder),
        new("Email:PublicBaseUrl", "http://localhost"),
        new("Auth:PasswordHashIterations", "210000"),
        .. ExtraSettings,
    ];

    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (Directory.Exists(MailFolder))
        {
            Directory.Delete(MailFolder, recursive: true);
        }
    }
}

/// <summary>New devices wait for a mailed code, and unverified accounts may not play.</summary>
public sealed class ConfirmingApiFactory : EmailApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Devices:ConfirmNewDevices", "true"),
        new("Auth:RequireVerifiedEmail", "true"),
    ];
}

[CollectionDefinition(Name)]
public sealed class EmailCollection : ICollectionFixture<EmailApiFactory>
{
    public const string Name = "email";
}

[CollectionDefinition(Name)]
public sealed class ConfirmingCollection : ICollectionFixture<ConfirmingApiFactory>
{
    public const string Name = "confirming";
}
