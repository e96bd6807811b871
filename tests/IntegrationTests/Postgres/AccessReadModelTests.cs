using System.Net;
using System.Text.Json;
using Learning.Access;
using Learning.Accounts;
using Learning.Common;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.IntegrationTests.Postgres;

/// <summary>Subscriptions and grants reach the operators' tables with the user's snapshot, and the admin listing reads them.</summary>
[Collection(PostgresApiCollection.Name)]
public sealed class AccessReadModelTests(SharedPostgresApiFactory factory)
{
    private static readonly ClientInfo Client = new("127.0.0.1", "tests");
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task A_subscription_and_grants_land_in_their_tables_and_follow_every_change()
    {
        var student = await _api.SignUp();
        var userId = await UserIdAsync(student);
        var admin = await AdminAsync();
        var cs = factory.ConnectionString;
        var now = factory.Clock.GetUtcNow();
        var periodEnd = now.AddDays(30);

        await ApplyAsync(userId, new SubscriptionChange("evt_pg1", now, "sub_pg", "cus_pg", SubscriptionStatuses.Trialing, "price_m", periodEnd, false, now.AddDays(7))
        {
            PlanId = "monthly",
        });
        var grant = (await _api.Post($"/api/admin/users/{userId}/grants", new { until = now.AddDays(3), reason = "Goodwill" }, admin.Access))
            .AssertStatus(HttpStatusCode.Created).Json;
        var grantId = Guid.Parse(grant.GetProperty("id").GetString()!);

        Assert.Equal("trialing", await PostgresDatabase.ScalarAsync<string>(cs, "SELECT status FROM subscriptions WHERE user_id = $1", userId));
        Assert.Equal("monthly", await PostgresDatabase.ScalarAsync<string>(cs, "SELECT plan_id FROM subscriptions WHERE user_id = $1", userId));
        Assert.Equal("sub_pg", await PostgresDatabase.ScalarAsync<string>(cs, "SELECT subscription_id FROM subscriptions WHERE user_id = $1", userId));
        Assert.Equal("Goodwill", await PostgresDatabase.ScalarAsync<string>(cs, "SELECT reason FROM access_grants WHERE id = $1", grantId));
        Assert.Equal(await UserIdAsync(admin), await PostgresDatabase.ScalarAsync<Guid>(cs, "SELECT actor_id FROM access_grants WHERE id = $1", grantId));

        await ApplyAsync(userId, new SubscriptionChange("evt_pg2", now.AddSeconds(1), "sub_pg", "cus_pg", SubscriptionStatuses.PastDue, "price_m", periodEnd, true, null)
        {
            PlanId = "monthly",
        });
        (await _api.Send(HttpMethod.Delete, $"/api/admin/users/{userId}/grants/{grantId}", null, admin.Access)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("past_due", await PostgresDatabase.ScalarAsync<string>(cs, "SELECT status FROM subscriptions WHERE user_id = $1", userId));
        Assert.True(await PostgresDatabase.ScalarAsync<bool>(cs, "SELECT cancel_at_period_end FROM subscriptions WHERE user_id = $1", userId));
        Assert.Equal(now.AddSeconds(1).UtcDateTime, (await PostgresDatabase.ScalarAsync<DateTime>(cs, "SELECT past_due_since FROM subscriptions WHERE user_id = $1", userId)),
            TimeSpan.FromMilliseconds(1));
        Assert.Equal(0L, await PostgresDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM access_grants WHERE user_id = $1", userId));
        Assert.Equal("access_revoked,subscription_update,access_granted,subscription_start", await PostgresDatabase.ScalarAsync<string>(cs,
            "SELECT string_agg(action, ',' ORDER BY created_at DESC, id DESC) FROM audit_logs WHERE user_id = $1 AND action LIKE ANY (ARRAY['subscription%', 'access%'])",
            userId));
    }

    [Fact]
    public async Task The_subscriptions_listing_filters_and_pages_over_the_tables()
    {
        var admin = await AdminAsync();
        var prefix = $"pg_{Guid.NewGuid():N}"[..14];
        var now = factory.Clock.GetUtcNow();
        var ids = new List<Guid>();
        foreach (var (status, i) in new[] { SubscriptionStatuses.Active, SubscriptionStatuses.Active, SubscriptionStatuses.Canceled }.Select((s, i) => (s, i)))
        {
            var email = $"{prefix}{i}@example.com";
            (await _api.Register(email)).AssertStatus(HttpStatusCode.Created);
            var session = Session.From(email, await _api.Login(email));
            var userId = await UserIdAsync(session);
            ids.Add(userId);
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await ApplyAsync(userId, new SubscriptionChange($"evt_{i}", now, $"sub_{i}", $"cus_{i}", status, "price_m", now.AddDays(30), false, null)
            {
                PlanId = "monthly",
                Deleted = status == SubscriptionStatuses.Canceled,
            });
        }

        var mine = await Rows(admin, $"/api/admin/subscriptions?q={Uri.EscapeDataString(prefix.ToUpperInvariant())}");
        Assert.Equal([ids[2], ids[1], ids[0]], mine.Select(r => Guid.Parse(r.GetProperty("user_id").GetString()!)));
        var row = mine[1];
        Assert.Equal($"{prefix}1@example.com", row.GetProperty("user_email").GetString());
        Assert.Equal("active", row.GetProperty("status").GetString());
        Assert.Equal("monthly", row.GetProperty("plan_id").GetString());
        Assert.False(row.GetProperty("cancel_at_period_end").GetBoolean());
        Assert.Equal(now.AddDays(30).UtcDateTime, row.GetProperty("current_period_end").GetDateTime(), TimeSpan.FromMilliseconds(1));
        Assert.True(row.TryGetProperty("updated_at", out _));

        var active = await Rows(admin, $"/api/admin/subscriptions?status=active&q={prefix}");
        Assert.Equal([ids[1], ids[0]], active.Select(r => Guid.Parse(r.GetProperty("user_id").GetString()!)));
        Assert.Equal("canceled", Assert.Single(await Rows(admin, $"/api/admin/subscriptions?user_id={ids[2]}")).GetProperty("status").GetString());
        // The prefix is a prefix, and its wildcard characters are literal.
        Assert.Empty(await Rows(admin, $"/api/admin/subscriptions?q={prefix[1..]}"));
        Assert.Empty(await Rows(admin, $"/api/admin/subscriptions?q={prefix[..2]}%25{prefix[3..]}"));

        var first = (await _api.Get($"/api/admin/subscriptions?q={prefix}&limit=2", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = (await _api.Get($"/api/admin/subscriptions?q={prefix}&limit=2&cursor={cursor}", admin.Access)).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(2, first.GetProperty("results").GetArrayLength());
        Assert.Equal(ids[0].ToString(), Assert.Single(second.GetProperty("results").EnumerateArray()).GetProperty("user_id").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
    }

    private Task ApplyAsync(Guid userId, SubscriptionChange change) =>
        factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(userId).ApplySubscription(change, Client)
            .ContinueWith(t => Assert.True(t.Result.Succeeded, t.Result.Error?.Message));

    private async Task<Session> AdminAsync() => Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));

    private async Task<Guid> UserIdAsync(Session session) =>
        Guid.Parse((await _api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("id").GetString()!);

    private async Task<List<JsonElement>> Rows(Session session, string path) =>
        (await _api.Get(path, session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
}
