using System.Net;
using Learning.Audit;
using Learning.Accounts;
using Learning.Hosting;
using Learning.ReadModel;
using Learning.TestSupport;
using Learning.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Learning.FunctionalTests.Bounds;

/// <summary>
/// The audit outbox is bounded by refusing commands while it is full (the read model is down), never by dropping
/// entries: commands answer 503 with Retry-After, change nothing, and go through again once the read model is back.
/// </summary>
public sealed class AuditBacklogTests(AuditBacklogTests.Factory factory) : IClassFixture<AuditBacklogTests.Factory>
{
    private const int Limit = 5;
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task A_full_outbox_refuses_commands_with_503_until_the_read_model_recovers_and_loses_no_entry()
    {
        var (session, _) = await _api.SignUpWithDevice("web-0");
        var userId = Guid.Parse((await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString()!);
        factory.Writer.Down = true;

        for (var i = 1; i <= Limit; i++)
        {
            // Stored with its entry, not delivered: the command fails, as any command whose publish fails does.
            var stored = await _api.Transfer(session, $"web-{i}", "web");
            Assert.True((int)stored.Status >= 500, $"Got {(int)stored.Status}: {stored.Body}");
        }

        Assert.Equal(Limit, (await StoredUserState.ReadAsync(factory, userId)).AuditOutbox.Count);

        var refused = (await _api.Transfer(session, "web-refused", "web")).AssertProblem(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.NotNull(refused.Headers.RetryAfter);
        (await _api.Post("/api/auth/logout", new { refresh = session.Refresh }, session.Access))
            .AssertProblem(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        var held = (await StoredUserState.ReadAsync(factory, userId)).AuditOutbox.Select(e => e.Id).ToList();
        Assert.Equal(Limit, held.Count);
        // Reads still work, and the refused command changed nothing.
        var devices = (await _api.Get("/api/devices", session.Access)).AssertStatus(HttpStatusCode.OK).Json;
        Assert.DoesNotContain(devices.EnumerateArray(), d => d.GetProperty("device_id").GetString() == "web-refused");

        factory.Writer.Down = false;
        (await _api.Transfer(session, "web-after", "web")).AssertStatus(HttpStatusCode.OK);

        var transfers = (await factory.Services.GetRequiredService<IAuditQuery>().QueryAsync(
            new AuditQuery(AuditActions.DeviceTransfer, userId, null, null, null, 50, null))).Results;
        Assert.Equal(Limit + 1, transfers.Count);
        Assert.All(held, id => Assert.Contains(transfers, e => e.Id == id));
        Assert.DoesNotContain(transfers, e => e.MetadataJson.Contains("web-refused"));
    }


    public sealed class Factory : LearningApiFactory
    {
        public SwitchableWriter Writer => Services.GetRequiredService<SwitchableWriter>();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Limits:MaxPendingAuditEntries", Limit.ToString())];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<SwitchableWriter>();
                services.AddSingleton<IReadModelWriter>(sp => sp.GetRequiredService<SwitchableWriter>());
            });
        }
    }

    /// <summary>The in-memory read model, which refuses every write while <see cref="Down"/>.</summary>
    public sealed class SwitchableWriter(InMemoryReadModel inner) : IReadModelWriter
    {
        private volatile bool _down;

        public bool Down
        {
            get => _down;
            set => _down = value;
        }

        public Task WriteAsync(UserSnapshot? user, IReadOnlyCollection<AuditEntry> audit, CancellationToken cancellationToken = default) =>
            _down ? throw new IOException("The read model is down (test).") : inner.WriteAsync(user, audit, cancellationToken);
    }
}
