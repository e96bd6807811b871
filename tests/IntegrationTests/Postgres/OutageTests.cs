using System.Net;
using Learning.Catalog;
using Learning.TestSupport;
using Learning.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
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
