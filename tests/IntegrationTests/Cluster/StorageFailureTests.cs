using System.Net;
using Learning.TestSupport;

namespace Learning.IntegrationTests.Cluster;

/// <summary>
/// A database failure inside a silo process crosses the grain call to the API process: the caller must be told 503
/// (retry later), as the co-hosted silo does, never 500. Npgsql's exceptions used to be a type the cluster could not
/// serialize, so the API saw a codec error instead.
/// </summary>
public sealed class StorageFailureTests
{
    [Fact]
    public async Task A_database_failure_in_a_silo_reaches_the_caller_as_503_and_heals_when_the_database_returns()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var cluster = await ScriptedCluster.UpAsync(silos: 1, postgres.ConnectionString);
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var api = new ApiClient(http);
        var lesson = (await api.LessonIds())[0];
        var (session, device) = await api.SignUpWithDevice();

        await postgres.StopServerAsync();

        var refused = await api.StartVideo(session, lesson, device);
        refused.AssertProblem(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.NotNull(refused.Headers.RetryAfter);

        await postgres.StartServerAsync();

        ApiResponse started;
        var attempts = 0;
        do
        {
            started = await api.StartVideo(session, lesson, device);
        }
        while (started.Status == HttpStatusCode.ServiceUnavailable && ++attempts < 40 && await Delay());
        started.AssertStatus(HttpStatusCode.Created);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(500);
        return true;
    }
}
