using Learning.Audit;
using Learning.Email;
using Learning.ReadModel;
using Learning.TestSupport;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Learning.FunctionalTests.Email;

/// <summary>The dispatcher and the MailKit transport against a real SMTP server on loopback.</summary>
[Trait(Tier.Name, Tier.Slow)]
public sealed class MailDeliveryTests : IAsyncLifetime
{
    private static readonly Guid UserId = Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SmtpTestServer _smtp = null!;
    private SmtpMailHost _mail = null!;

    public async Task InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _mail = await SmtpMailHost.StartAsync(_smtp, _clock);
    }

    public async Task DisposeAsync()
    {
        await _mail.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Queued_mail_arrives_once_with_both_parts_and_its_link()
    {
        var mail = _mail.Composer.VerifyEmail(UserId, "ada@learn.test", "Ada", "tok.en", _clock.GetUtcNow());

        await _mail.Queue.EnqueueAsync([mail]);
        await _mail.Queue.EnqueueAsync([mail]);

        var received = Assert.Single(await _smtp.WaitForCountAsync(1));
        Assert.Equal("ada@learn.test", Assert.Single(received.To.Mailboxes).Address);
        Assert.Equal("no-reply@learn.test", Assert.Single(received.From.Mailboxes).Address);
        Assert.Equal($"{mail.Id:N}@learn.test", received.MessageId);
        Assert.Contains("http://learn.test/account/verify-email?token=tok.en", received.TextBody);
        Assert.Contains("href=\"http://learn.test/account/verify-email?token=tok.en\"", received.HtmlBody);

        // Neither time nor a second hand-over sends it again.
        await _mail.AdvanceAsync(Minute, 5);
        Assert.Single(_smtp.Messages);
        var record = Assert.Single(await _mail.ListAsync());
        Assert.Equal(MailStatus.Sent, record.Status);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task Mail_queued_while_the_server_is_down_arrives_exactly_once_when_it_is_back()
    {
        await _smtp.StopAsync();
        var mails = Enumerable.Range(0, 5)
            .Select(i => _mail.Composer.PasswordChanged(UserId, $"user{i}@learn.test", $"User {i}", _clock.GetUtcNow()))
            .ToList();
        await _mail.Queue.EnqueueAsync(mails);

        // Down for a while: every mail is tried, fails, and waits; nothing is lost or given up.
        await _mail.AdvanceUntilAsync(async () => (await _mail.ListAsync()).All(m => m.Attempts >= 3), Minute);
        Assert.All(await _mail.ListAsync(), m =>
        {
            Assert.Equal(MailStatus.Queued, m.Status);
            Assert.NotNull(m.LastError);
        });
        Assert.Empty(_smtp.Messages);

        await _smtp.StartAgainAsync();
        await _mail.AdvanceUntilAsync(() => Task.FromResult(_smtp.Messages.Count >= 5), Minute);
        await _mail.AdvanceAsync(Minute, 5);

        Assert.Equal(mails.Select(m => $"{m.Id:N}@learn.test").Order(), _smtp.Messages.Select(m => m.MessageId).Order());
        Assert.All(await _mail.ListAsync(), m => Assert.Equal(MailStatus.Sent, m.Status));
        Assert.Contains("attempt 3 failed", _mail.Logs);
        Assert.DoesNotContain("Hello User", _mail.Logs);
    }

    [Fact]
    public async Task A_recipient_refused_for_good_is_failed_audited_and_never_retried()
    {
        _smtp.RefuseRecipient("gone@learn.test");
        var refused = _mail.Composer.PasswordReset(UserId, "gone@learn.test", "Gone", "secret-reset-token", _clock.GetUtcNow());
        var fine = _mail.Composer.PasswordReset(UserId, "here@learn.test", "Here", "other-token", _clock.GetUtcNow());

        await _mail.Queue.EnqueueAsync([refused, fine]);

        await SmtpMailHost.WaitUntilAsync(async () => (await _mail.ListAsync(MailStatus.Failed)).Count == 1);
        var failed = Assert.Single(await _mail.ListAsync(MailStatus.Failed));
        Assert.Equal(refused.Id, failed.Id);
        Assert.StartsWith("550", failed.LastError);

        var audit = Assert.Single((await _mail.Audit.QueryAsync(new AuditQuery(AuditActions.MailFailed, null, null, null, null, 10, null))).Results);
        Assert.Equal(UserId, audit.UserId);
        Assert.Contains(refused.Id.ToString(), audit.MetadataJson);
        Assert.Contains(MailKinds.PasswordReset, audit.MetadataJson);
        Assert.DoesNotContain("secret-reset-token", audit.MetadataJson);

        // Hours later it was still tried only once, and only the good mail arrived.
        await _mail.AdvanceAsync(TimeSpan.FromHours(1), 5);
        Assert.Equal(1, Assert.Single(await _mail.ListAsync(MailStatus.Failed)).Attempts);
        Assert.Equal("here@learn.test", Assert.Single(_smtp.Messages).To.Mailboxes.Single().Address);
        Assert.Contains(refused.Id.ToString(), _mail.Logs);
        Assert.DoesNotContain("secret-reset-token", _mail.Logs);
        Assert.DoesNotContain("other-token", _mail.Logs);
    }
}

/// <summary>The pickup folder: what a newcomer opens in Development.</summary>
[Trait(Tier.Name, Tier.Slow)]
public sealed class PickupDirectoryTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"learning-mail-test-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SmtpMailHost _mail = null!;

    public async Task InitializeAsync() =>
        _mail = await SmtpMailHost.StartAsync(null, _clock, settings: new Dictionary<string, string?> { ["Email:PickupDirectory"] = _folder });

    public async Task DisposeAsync()
    {
        await _mail.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Each_mail_becomes_one_valid_eml_file_and_no_temporary_file_is_left()
    {
        var mail = _mail.Composer.PasswordReset(Guid.NewGuid(), "ada@learn.test", "Ada <3", "t0k3n", _clock.GetUtcNow());

        await _mail.Queue.EnqueueAsync([mail]);

        await SmtpMailHost.WaitUntilAsync(() => Task.FromResult(Directory.Exists(_folder) && Directory.GetFiles(_folder, "*.eml").Length == 1));
        var message = await MimeMessage.LoadAsync(Directory.GetFiles(_folder, "*.eml").Single());
        Assert.Equal("Reset your password", message.Subject);
        Assert.Equal("ada@learn.test", message.To.Mailboxes.Single().Address);
        Assert.Contains("http://learn.test/account/reset-password?token=t0k3n", message.TextBody);
        Assert.Contains("Hello Ada &lt;3,", message.HtmlBody);
        Assert.Single(Directory.GetFiles(_folder));
    }
}
