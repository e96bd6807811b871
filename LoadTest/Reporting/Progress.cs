namespace Learning.LoadTest.Reporting;

/// <summary>One line a second (rate, errors, p99 of that second) so a long run can be watched and stopped early.</summary>
public sealed class Progress : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task printing;

    private Progress(Metrics metrics, TextWriter output, Func<string> status)
    {
        printing = Print(metrics, output, status, stop.Token);
    }

    public static Progress Start(Metrics metrics, TextWriter? output, Func<string> status) =>
        new(metrics, output ?? TextWriter.Null, status);

    private static async Task Print(Metrics metrics, TextWriter output, Func<string> status, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var elapsed = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                elapsed++;
                var (requests, errors, p99) = metrics.TakeInterval();
                await output.WriteLineAsync(
                    $"[{elapsed,5}s {metrics.Current.Name,-8}] {requests,7:N0} req/s  errors {errors,4} (total {metrics.TotalErrors:N0})  p99 {p99,8:N1} ms  {status()}");
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await printing;
        stop.Dispose();
    }
}
