using System.Net;
using Learning.Audit;
using Learning.Catalog;
using Learning.Playback;
using Learning.TestSupport;
using Learning.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Core.Internal;

namespace Learning.IntegrationTests.Postgres;

/// <summary>While PostgreSQL is down the API says so (503), quickly, and it recovers by itself when PostgreSQL returns.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task A_database_outage_is_503_service_unavailable_and_heals_by_itself()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await DatabaseMigrator.MigrateAsync(postgres.ConnectionString, NullLogger.Instance);
        using var factory = new PostgresApiFactory(postgres.ConnectionString);
        var api = factory.CreateApiClient();
        api.Http.Timeout = TimeSpan.FromSeconds(30);
        var (session, device) = await api.SignUpWithDevice();
        var token = (await api.StartVideo(session, (await api.LessonIds())[0], device)).Json.GetProperty("session_token").GetString()!;
        var catalog = (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK).Body;

        await postgres.StopServerAsync();

        // What needs no write keeps working: heartbeats of a session already playing, and the catalog.
        (await api.Heartbeat(session, token, 5)).AssertStatus(HttpStatusCode.OK);
        (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
        (await api.Register(ApiClient.NewEmail())).AssertProblem(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        (await api.Login(session.Email)).AssertProblem(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        (await api.Get("/api/audit-logs", session.Access)).AssertProblem(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        var ready = (await api.Get("/health/ready")).AssertStatus(HttpStatusCode.ServiceUnavailable).Json;
        Assert.Equal("unhealthy", ready.GetProperty("checks").GetProperty("database").GetString());

        // Even the catalog's writer gone (its new activation cannot load the catalog), the catalog answers from the
        // snapshot this process holds.
        var writer = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ICatalogGrain>(0);
        await writer.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Assert.ThrowsAnyAsync<Exception>(() => writer.GetSnapshotIfNewer(-1));
        Assert.Equal(catalog, (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK).Body);

        await postgres.StartServerAsync();

        var registered = await EventuallyAsync(() => api.Register(ApiClient.NewEmail()), HttpStatusCode.Created);
        registered.AssertStatus(HttpStatusCode.Created);
        (await EventuallyAsync(() => api.Login(session.Email), HttpStatusCode.OK)).AssertStatus(HttpStatusCode.OK);
        (await api.Get("/health/ready")).AssertStatus(HttpStatusCode.OK);
        (await api.Get("/api/audit-logs", session.Access)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task After_a_restart_the_first_reads_and_read_model_writes_succeed_on_new_connections()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await DatabaseMigrator.MigrateAsync(postgres.ConnectionString, NullLogger.Instance);
        using var factory = new PostgresApiFactory(postgres.ConnectionString);
        var api = factory.CreateApiClient();
        var (session, _) = await api.SignUpWithDevice();
        const int concurrent = 8;
        var userId = Guid.Parse((await api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("id").GetString()!);
        async Task<IReadOnlyList<HttpStatusCode>> ListAuditConcurrently() =>
            (await Task.WhenAll(Enumerable.Range(0, concurrent).Select(_ => api.Get("/api/audit-logs", session.Access)))).Select(r => r.Status).ToList();
        // Several pooled connections, each to the server about to be restarted.
        Assert.All(await ListAuditConcurrently(), status => Assert.Equal(HttpStatusCode.OK, status));
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        var writer = new PostgresReadModel(dataSource, TimeProvider.System, Options.Create(new PlaybackOptions()));
        await writer.WriteAsync(null, [Entry(userId, session)]);

        await postgres.RestartServerAsync();

        Assert.All(await ListAuditConcurrently(), status => Assert.Equal(HttpStatusCode.OK, status));
        var written = Entry(userId, session);
        await writer.WriteAsync(null, [written]);
        var listed = (await api.Get($"/api/audit-logs?action={written.Action}", session.Access)).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(2, listed.GetProperty("results").GetArrayLength());
    }

    private static AuditEntry Entry(Guid userId, Session session) =>
        new(Guid.NewGuid(), userId, session.Email, "password_change", "203.0.113.9", "outage-test", AuditMetadata.Empty, DateTimeOffset.UtcNow);

    private static async Task<ApiResponse> EventuallyAsync(Func<Task<ApiResponse>> call, HttpStatusCode wanted)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await call();
            if (response.Status == wanted || attempt == 40)
            {
                return response;
            }

            await Task.Delay(500);
        }
    }
}
