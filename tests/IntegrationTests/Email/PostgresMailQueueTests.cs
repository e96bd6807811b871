using Learning.Email;
using Learning.Persistence.Email;
using Learning.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Learning.IntegrationTests.Email;

/// <summary>
/// The PostgreSQL mail queue: dispatchers in several silos share it without sending a message twice while their
/// leases hold, and mail queued before a restart is still delivered after it.
/// </summary>
public sealed class PostgresMailQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private string _postgres = null!;
    private SmtpTestServer _smtp = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresDatabase.CreateAsync();
        _smtp = await SmtpTestServer.StartAsync();
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Two_dispatchers_draining_one_queue_together_send_every_message_exactly_once()
    {
        var settings = new Dictionary<string, string?> { ["Email:BatchSize"] = "7" };
        await using var first = await SmtpMailHost.StartAsync(_smtp, _clock, _postgres, settings, run: false);
        await using var second = await SmtpMailHost.StartAsync(_smtp, _clock, _postgres, settings, run: false);
        var mails = Mails(first, 120);
        await first.Queue.EnqueueAsync(mails);

        var claimed = await Task.WhenAll(DrainAsync(first.Dispatcher), DrainAsync(second.Dispatcher));

        Assert.Equal(120, claimed.Sum());
        Assert.All(claimed, count => Assert.True(count > 0, "both dispatchers took part"));
        var received = await _smtp.WaitForCountAsync(120);
        Assert.Equal(mails.Select(m => $"{m.Id:N}@learn.test").Order(), received.Select(m => m.MessageId).Order());
        Assert.Equal(120L, await PostgresDatabase.ScalarAsync<long>(_postgres, "SELECT count(*) FROM mail_queue WHERE status = 'sent' AND text_body IS NULL"));
    }

    [Fact]
    public async Task Concurrent_claims_never_take_the_same_message_while_its_lease_holds()
    {
        var queues = Enumerable.Range(0, 4).Select(_ => new PostgresMailQueue(NpgsqlDataSource.Create(_postgres), new MailSignal())).ToList();
        await using var host = await SmtpMailHost.StartAsync(null, _clock, _postgres, new Dictionary<string, string?> { ["Email:Discard"] = "true" }, run: false);
        await queues[0].EnqueueAsync(Mails(host, 200));
        var now = _clock.GetUtcNow();

        var rounds = await Task.WhenAll(queues.Select(async queue =>
        {
            var mine = new List<Guid>();
            for (var i = 0; i < 20; i++)
            {
                mine.AddRange((await queue.ClaimDueAsync(5, now, Lease)).Select(c => c.Mail.Id));
            }

            return mine;
        }));

        var all = rounds.SelectMany(ids => ids).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
        Assert.Empty(await queues[1].ClaimDueAsync(5, now + Lease - TimeSpan.FromSeconds(1), Lease));

        // A dispatcher that died with its claims leaves them to another once the lease is over (at-least-once).
        Assert.Equal(5, (await queues[2].ClaimDueAsync(5, now + Lease, Lease)).Count);
    }

    [Fact]
    public async Task Mail_queued_before_a_restart_is_delivered_once_by_the_next_silo()
    {
        await _smtp.StopAsync();
        List<OutgoingMail> mails;
        await using (var before = await SmtpMailHost.StartAsync(_smtp, _clock, _postgres))
        {
            mails = Mails(before, 3);
            await before.Queue.EnqueueAsync(mails);
            await SmtpMailHost.WaitUntilAsync(async () => (await before.ListAsync()).All(m => m.Attempts == 1 && m.LastError is not null));
        }

        // Another silo's dispatcher on the same database, with the relay back.
        await _smtp.StartAgainAsync();
        await using var after = await SmtpMailHost.StartAsync(_smtp, _clock, _postgres);
        await after.AdvanceUntilAsync(() => Task.FromResult(_smtp.Messages.Count >= 3), TimeSpan.FromSeconds(30));
        await after.AdvanceAsync(TimeSpan.FromMinutes(1), 5);

        Assert.Equal(mails.Select(m => $"{m.Id:N}@learn.test").Order(), _smtp.Messages.Select(m => m.MessageId).Order());
        Assert.All(await after.ListAsync(), m => Assert.Equal(MailStatus.Sent, m.Status));
    }

    [Fact]
    public async Task Mail_claimed_by_a_silo_that_died_goes_out_once_its_lease_expires()
    {
        await using var host = await SmtpMailHost.StartAsync(_smtp, _clock, _postgres, run: false);
        var mail = Mails(host, 1);
        await host.Queue.EnqueueAsync(mail);
        Assert.Single(await host.Queue.ClaimDueAsync(10, _clock.GetUtcNow(), Lease));

        Assert.Equal(0, await host.Dispatcher.DispatchDueAsync(CancellationToken.None));
        _clock.Advance(Lease);
        Assert.Equal(1, await host.Dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Equal($"{mail[0].Id:N}@learn.test", Assert.Single(await _smtp.WaitForCountAsync(1)).MessageId);
        Assert.Equal(2, Assert.Single(await host.ListAsync(MailStatus.Sent)).Attempts);
    }

    [Fact]
    public async Task Operators_page_through_failed_mail_newest_first()
    {
        _smtp.RefuseRecipient("gone@learn.test");
        await using var host = await SmtpMailHost.StartAsync(_smtp, _clock, _postgres, run: false);
        var mails = new List<OutgoingMail>();
        for (var i = 0; i < 5; i++)
        {
            mails.Add(host.Composer.PasswordChanged(Guid.NewGuid(), i % 2 == 0 ? "gone@learn.test" : $"user{i}@learn.test", "U", _clock.GetUtcNow()));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        await host.Queue.EnqueueAsync(mails);
        await host.Dispatcher.DispatchDueAsync(CancellationToken.None);

        var first = await host.Queue.ListAsync(MailStatus.Failed, 2, null);
        var second = await host.Queue.ListAsync(MailStatus.Failed, 2, first.Next);
        Assert.Equal([mails[4].Id, mails[2].Id], first.Results.Select(m => m.Id));
        Assert.Equal([mails[0].Id], second.Results.Select(m => m.Id));
        Assert.Null(second.Next);
        Assert.All(first.Results.Concat(second.Results), m => Assert.StartsWith("550", m.LastError));
        Assert.Equal(2, (await host.Queue.ListAsync(MailStatus.Sent, 10, null)).Results.Count);
    }

    private static async Task<int> DrainAsync(MailDispatcher dispatcher)
    {
        var total = 0;
        int claimed;
        while ((claimed = await dispatcher.DispatchDueAsync(CancellationToken.None)) > 0)
        {
            total += claimed;
        }

        return total;
    }

    private List<OutgoingMail> Mails(SmtpMailHost host, int count) =>
        Enumerable.Range(0, count)
            .Select(i => host.Composer.VerifyEmail(Guid.NewGuid(), $"user{i}@learn.test", $"User {i}", $"token-{i}", _clock.GetUtcNow()))
            .ToList();
}
