using Learning.LoadTest.Http;
using Learning.LoadTest.Reporting;
using Learning.LoadTest.ServerCpu;

namespace Learning.LoadTest.Running;

/// <summary>
/// The local ceiling: GET /health/live (no authentication, no grain call) as fast as <c>concurrency</c> loops can
/// go through the same client. Every route's rate is then also given as a fraction of it. It is warmed up as long as
/// the measured phase (JIT tiers, connection pool, thread pool growth), so the ratio compares warm with warm.
/// </summary>
public static class Baseline
{
    public static async Task<PhaseResult> RunAsync(
        LearningClient api, Metrics metrics, int concurrency, TimeSpan warmup, TimeSpan duration, ServerCpuMeter? cpu, CancellationToken cancel)
    {
        metrics.Use(new RouteTable("baseline-warmup", countsTowardErrorRate: false).Start());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var loops = Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await api.HealthLive();
            }
        }));

        await Delay(warmup, cancel);
        var table = metrics.Use(new RouteTable("baseline", countsTowardErrorRate: false).Start());
        var window = cpu?.Start();
        await Delay(duration, cancel);
        table.Stop();
        var result = table.ToResult();
        var phaseCpu = window?.Stop(result.Requests, table.Elapsed);
        metrics.Use(new RouteTable("baseline-drain", countsTowardErrorRate: false));
        await stop.CancelAsync();
        await loops;
        return result.WithCpu(phaseCpu);
    }

    private static async Task Delay(TimeSpan length, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(length, cancel);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the run goes on to report what it has.
        }
    }
}
