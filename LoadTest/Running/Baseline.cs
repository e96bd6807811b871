using Learning.LoadTest.Http;
using Learning.LoadTest.Reporting;

namespace Learning.LoadTest.Running;

/// <summary>
/// The local ceiling: GET /health/live (no authentication, no grain call) as fast as <c>concurrency</c> loops can
/// go through the same client. Every route's rate is then also given as a fraction of it.
/// </summary>
public static class Baseline
{
    public static async Task<RouteResult?> RunAsync(LearningClient api, Metrics metrics, int concurrency, TimeSpan duration, CancellationToken cancel)
    {
        var table = metrics.Use(new RouteTable("baseline", countsTowardErrorRate: false).Start());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(duration);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await api.HealthLive();
            }
        }));
        table.Stop();
        return table.ToResult().Routes.FirstOrDefault();
    }
}
