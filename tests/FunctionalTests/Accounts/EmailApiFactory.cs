using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

/// <summary>
/// The API sending its mail over SMTP to a real server in the test process, with links pointing at the test client's
/// address, and with production-strength password hashing, so that a hash on one path of a request would show in its
/// timing.
/// </summary>
public class EmailApiFactory : LearningApiFactory
{
    public SmtpTestServer Smtp { get; } = SmtpTestServer.StartAsync().GetAwaiter().GetResult();

    public Mailbox Mailbox => new(() => Smtp.Messages);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Email:Discard", "false"),
        new("Email:Smtp:Host", Smtp.Host),
        new("Email:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Email:Smtp:Security", "None"),
        new("Email:From", "Learning <no-reply@learn.test>"),
        new("Email:PublicBaseUrl", "http://localhost"),
        new("Auth:PasswordHashIterations", "210000"),
        .. ExtraSettings,
    ];

    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Smtp.DisposeAsync().AsTask().GetAwaiter().GetResult();
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
