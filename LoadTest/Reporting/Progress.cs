namespace Learning.LoadTest.Reporting;

/// <summary>
/// The run as it goes (rate, errors, p99 of the last interval) so a long run can be watched and stopped early: on a
/// terminal one line rewritten every second; into a file or pipe a plain line every five seconds.
/// </summary>
public sealed class Progress : IAsyncDisposable
{
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource stop = new();
    private readonly Task printing;

    private Progress(Metrics metrics, TextWriter output, bool terminal, Func<string> status)
    {
        printing = Print(metrics, output, terminal, status, stop.Token);
    }

    /// <param name="terminal">Rewrite one line; by default when <paramref name="output"/> is the console's error stream and that is a terminal.</param>
    public static Progress Start(Metrics metrics, TextWriter? output, Func<string> status, bool? terminal = null) =>
        new(metrics, output ?? TextWriter.Null, terminal ?? (ReferenceEquals(output, Console.Error) && !Console.IsErrorRedirected), status);

    private static async Task Print(Metrics metrics, TextWriter output, bool terminal, Func<string> status, CancellationToken stop)
    {
        var interval = terminal ? TerminalInterval : PlainInterval;
        using var timer = new PeriodicTimer(interval);
        var elapsed = TimeSpan.Zero;
        var width = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                elapsed += interval;
                var (requests, errors, p99) = metrics.TakeInterval();
                var line = $"[{elapsed.TotalSeconds,5:0}s {metrics.Current.Name,-8}] {requests / interval.TotalSeconds,7:N0} req/s | "
                    + $"errors {errors,4} (total {metrics.TotalErrors:N0}) | p99 {p99,8:N1} ms | {status()}";
                if (terminal)
                {
                    // Pad over the previous line's tail; the cursor stays on this line until the run ends.
                    await output.WriteAsync("\r" + line.PadRight(width));
                    width = line.Length;
                }
                else
                {
                    await output.WriteLineAsync(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }

        if (terminal && width > 0)
        {
            await output.WriteLineAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await printing;
        stop.Dispose();
    }
}
