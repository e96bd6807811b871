using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

/// <summary>
/// The API sending its mail over SMTP to a real server in the test process, with links pointing at the test client's
/// address. Password hashing stays at the tests' cheap default (see <see cref="LearningApiFactory"/>): at production
/// strength each sign-up and sign-in costs about 0.1 s of CPU, a third of these tests' time; the one test that needs it
/// has a host of its own (<see cref="ProductionHashingEmailApiFactory"/>).
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

/// <summary>
/// Password hashing at production strength (<see cref="Learning.Accounts.PasswordHasher.MinimumIterations"/>), so that a
/// hash on one path of a request would show in its timing (about 0.1 s against a 40 ms tolerance).
/// </summary>
public sealed class ProductionHashingEmailApiFactory : EmailApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Auth:PasswordHashIterations", Learning.Accounts.PasswordHasher.MinimumIterations.ToString(System.Globalization.CultureInfo.InvariantCulture)),
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
