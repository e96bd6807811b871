using Learning.Billing;
using Learning.Persistence.Billing;
using Learning.TestSupport;
using Npgsql;

namespace Learning.IntegrationTests.Billing;

/// <summary>
/// The PostgreSQL billing store: a webhook event is recorded once by id whatever the deliveries and restarts, processors
/// of several instances never claim one event together while the lease holds, and the customer map survives a restart.
/// </summary>
public sealed class PostgresBillingStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private string _postgres = null!;

    public async Task InitializeAsync() => _postgres = await PostgresDatabase.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A store over its own connection pool, as a freshly started instance has.</summary>
    private PostgresBillingStore NewInstance() => new(NpgsqlDataSource.Create(_postgres));

    private static ReceivedStripeEvent Event(string id, DateTimeOffset at) =>
        new(id, "invoice.paid", at, $$"""{"id":"{{id}}","object":"event","type":"invoice.paid"}""", at);

    [Fact]
    public async Task An_event_is_recorded_once_by_id_across_concurrent_deliveries_and_a_restart()
    {
        var now = DateTimeOffset.UtcNow;
        var received = Event($"evt_{Guid.NewGuid():N}", now);
        var before = NewInstance();

        var firsts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => before.RecordAsync(received)));
        Assert.Single(firsts, recorded => recorded);
        var claim = Assert.Single(await before.ClaimDueAsync(10, now, Lease));
        await before.MarkProcessedAsync(claim, now);

        var after = NewInstance();
        Assert.False(await after.RecordAsync(received with { Payload = "{}" }));
        var stored = await after.FindAsync(received.Id);
        Assert.Equal(StripeEventStatus.Processed, stored!.Status);
        Assert.Equal(1, stored.Attempts);
        Assert.Empty(await after.ClaimDueAsync(10, now.AddHours(1), Lease));
        Assert.Equal(1L, await PostgresDatabase.ScalarAsync<long>(_postgres, $"SELECT count(*) FROM billing_events WHERE id = '{received.Id}'"));
    }

    [Fact]
    public async Task Processors_of_several_instances_never_claim_one_event_together_while_its_lease_holds()
    {
        var now = DateTimeOffset.UtcNow;
        var stores = Enumerable.Range(0, 4).Select(_ => NewInstance()).ToList();
        for (var i = 0; i < 60; i++)
        {
            await stores[0].RecordAsync(Event($"evt_lease_{Guid.NewGuid():N}", now.AddSeconds(-i)));
        }

        var rounds = await Task.WhenAll(stores.Select(async store =>
        {
            var mine = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                mine.AddRange((await store.ClaimDueAsync(3, now, Lease)).Select(c => c.Event.Id));
            }

            return mine;
        }));

        var all = rounds.SelectMany(ids => ids).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Distinct().Count());
        Assert.Empty(await stores[1].ClaimDueAsync(3, now + Lease - TimeSpan.FromSeconds(1), Lease));
        // A processor that died with its claims leaves them to another once the lease is over.
        Assert.Equal(3, (await stores[2].ClaimDueAsync(3, now + Lease, Lease)).Count);
    }

    [Fact]
    public async Task A_retry_waits_for_its_time_and_a_stale_claims_update_is_ignored()
    {
        var now = DateTimeOffset.UtcNow;
        var store = NewInstance();
        var received = Event($"evt_{Guid.NewGuid():N}", now);
        await store.RecordAsync(received);
        var first = Assert.Single(await store.ClaimDueAsync(1, now, Lease));
        await store.ScheduleRetryAsync(first, now.AddSeconds(30), "user not linked yet");

        Assert.Empty(await store.ClaimDueAsync(1, now.AddSeconds(29), Lease));
        var second = Assert.Single(await store.ClaimDueAsync(1, now.AddSeconds(30), Lease));
        await store.MarkProcessedAsync(first, now.AddSeconds(31));
        Assert.Equal(StripeEventStatus.Pending, (await store.FindAsync(received.Id))!.Status);
        await store.MarkProcessedAsync(second, now.AddSeconds(31));

        var done = await store.FindAsync(received.Id);
        Assert.Equal(StripeEventStatus.Processed, done!.Status);
        Assert.Equal(2, done.Attempts);
    }

    [Fact]
    public async Task The_customer_map_survives_a_restart_and_keeps_the_first_user()
    {
        var customer = $"cus_{Guid.NewGuid():N}";
        var owner = Guid.NewGuid();
        await NewInstance().LinkAsync(customer, owner, DateTimeOffset.UtcNow);
        await NewInstance().LinkAsync(customer, Guid.NewGuid(), DateTimeOffset.UtcNow);

        var restarted = NewInstance();
        Assert.Equal(owner, await restarted.FindUserAsync(customer));
        Assert.Null(await restarted.FindUserAsync("cus_nobody"));
    }
}
