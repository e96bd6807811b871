using Learning.LoadTest.Scenarios;

namespace Learning.LoadTest.Running;

/// <summary>
/// Closed model: every user loops step, pause <see cref="LoadTestOptions.BeatInterval"/>, step. Throughput follows
/// the server's latency (a slow server gets fewer requests), which is how real clients on a timer behave.
/// </summary>
public static class ClosedModel
{
    public static Task RunAsync(IReadOnlyList<VirtualUser> users, LoadTestOptions options, CancellationToken stop) =>
        Task.WhenAll(users.Select(user => Loop(user, options.BeatInterval, stop)));

    private static async Task Loop(VirtualUser user, TimeSpan pause, CancellationToken stop)
    {
        // Spread the users over the first interval, as real learners who did not all press play at once.
        if (!await Wait(pause * user.Phase, stop))
        {
            return;
        }

        while (!stop.IsCancellationRequested)
        {
            await user.TryStepAsync();
            if (pause > TimeSpan.Zero && !await Wait(pause, stop))
            {
                return;
            }
        }
    }

    private static async Task<bool> Wait(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
