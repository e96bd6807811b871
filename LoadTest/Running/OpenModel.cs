using System.Diagnostics;
using Learning.LoadTest.Scenarios;

namespace Learning.LoadTest.Running;

/// <summary>
/// Open model: steps arrive at <see cref="LoadTestOptions.Rate"/> per second whatever the server's latency, round-robin
/// over the users, so queueing shows up as latency instead of as a lower rate (no coordinated omission). A user whose
/// previous step is still running is skipped (counted), and arrivals beyond <see cref="LoadTestOptions.MaxInFlight"/>
/// are dropped (counted): both mean the server is not keeping up.
/// </summary>
public sealed class OpenModel(IReadOnlyList<VirtualUser> users, LoadTestOptions options)
{
    private long skipped;
    private long dropped;
    private int inFlight;

    public long Skipped => Interlocked.Read(ref skipped);

    public long Dropped => Interlocked.Read(ref dropped);

    public async Task RunAsync(CancellationToken stop)
    {
        var rate = options.Rate ?? throw new InvalidOperationException("the open model needs a rate");
        var clock = Stopwatch.StartNew();
        long issued = 0;
        var next = 0;
        while (!stop.IsCancellationRequested && users.Count > 0)
        {
            // Catch up on every arrival due by now; the 1 ms pause below only sets the granularity.
            var due = (long)(rate * clock.Elapsed.TotalSeconds);
            for (; issued < due; issued++)
            {
                var user = users[next];
                next = (next + 1) % users.Count;
                if (Volatile.Read(ref inFlight) >= options.MaxInFlight)
                {
                    Interlocked.Increment(ref dropped);
                }
                else if (!user.TryEnter())
                {
                    Interlocked.Increment(ref skipped);
                }
                else
                {
                    Interlocked.Increment(ref inFlight);
                    _ = Step(user);
                }
            }

            try
            {
                await Task.Delay(1, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Let the steps in flight finish (each request is bounded by the HttpClient's timeout).
        while (Volatile.Read(ref inFlight) > 0)
        {
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private async Task Step(VirtualUser user)
    {
        try
        {
            await user.TryStepAsync();
        }
        finally
        {
            user.Exit();
            Interlocked.Decrement(ref inFlight);
        }
    }
}
