using Learning.LoadTest.Http;
using Learning.LoadTest.Invariants;
using Learning.LoadTest.Reporting;
using Learning.LoadTest.Running;
using Learning.LoadTest.Scenarios;
using Learning.LoadTest.ServerCpu;

namespace Learning.LoadTest;

/// <summary>
/// The tester as a library: give it the options and an <see cref="HttpClient"/> whose <c>BaseAddress</c> is the API
/// (a real socket client, or a <c>WebApplicationFactory</c>'s in-memory one) and it runs
/// set-up, optional baseline, warm-up, the measured window, drain and the invariant check, in that order.
/// </summary>
public static class LoadTester
{
    public static async Task<LoadTestResult> RunAsync(
        LoadTestOptions options, HttpClient http, TextWriter? progress = null, CancellationToken cancel = default)
    {
        Validate(options);
        var startedAt = DateTimeOffset.UtcNow;
        var loadAtStart = LoadAverage();
        var cpu = options.ServerProcessIds.Count > 0 ? new ServerCpuMeter(options.ServerProcessIds) : null;
        var metrics = new Metrics();
        var api = new LearningClient(http, metrics);
        var ready = new List<VirtualUser>();
        var openModel = default(OpenModel);
        await using var printer = Progress.Start(metrics, progress, () => openModel is null
            ? $"users {ready.Count}"
            : $"users {ready.Count}  skipped(busy) {openModel.Skipped:N0}  dropped {openModel.Dropped:N0}");

        // Set-up: the catalog, then every user signs up (and signs in, registers its device, starts a lesson).
        var setup = metrics.Use(new RouteTable("setup").Start());
        var context = new ScenarioContext(api, options, await Population.LoadLessons(api));
        var users = Population.Create(context, Guid.NewGuid().ToString("N")[..8]);
        using (var gate = new SemaphoreSlim(options.SetupConcurrency))
        {
            var outcomes = await Task.WhenAll(users.Select(async user =>
            {
                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    return cancel.IsCancellationRequested ? null : await user.TrySetupAsync() ? user : null;
                }
                finally
                {
                    gate.Release();
                }
            }));
            ready.AddRange(outcomes.OfType<VirtualUser>());
        }

        setup.Stop();

        var concurrency = Math.Max(1, options.Rate is null ? Math.Min(options.Users, options.Connections) : options.Connections);
        var baseline = options.Baseline is { } baselineTime && !cancel.IsCancellationRequested
            ? await Baseline.RunAsync(api, metrics, concurrency, options.Warmup, baselineTime, cpu, cancel)
            : null;
        var baselineRoute = baseline?.Routes.FirstOrDefault();

        // Load: warm-up (discarded), the measured window, then a drain for what was in flight when it closed.
        metrics.Use(new RouteTable("warmup").Start());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        openModel = options.Rate is null ? null : new OpenModel(ready, options);
        var running = openModel?.RunAsync(stop.Token) ?? ClosedModel.RunAsync(ready, options, stop.Token);
        await Pause(options.Warmup, cancel);
        var measured = metrics.Use(new RouteTable("measured").Start());
        var measuredCpuWindow = cpu?.Start();
        await Pause(options.Duration, cancel);
        measured.Stop();
        var measuredResult = measured.ToResult(baselineRoute?.RatePerSecond);
        measuredResult = measuredResult.WithCpu(measuredCpuWindow?.Stop(measuredResult.Requests, measured.Elapsed));
        metrics.Use(new RouteTable("drain"));
        await stop.CancelAsync();
        await running;

        InvariantReport? invariants = null;
        if (options.CheckInvariants)
        {
            metrics.Use(new RouteTable("check", countsTowardErrorRate: false));
            var touched = users.Select(u => u.Account).Distinct().Where(a => a.Registered).ToList();
            invariants = await InvariantChecker.CheckAsync(api, touched, options);
        }

        metrics.Use(new RouteTable("done", countsTowardErrorRate: false));
        var errorRate = metrics.TotalRequests == 0 ? 0 : (double)metrics.TotalErrors / metrics.TotalRequests;
        var failures = new List<string>();
        if (metrics.TotalRequests == 0)
        {
            failures.Add("no requests were made");
        }

        if (errorRate > options.MaxErrorRate)
        {
            failures.Add($"error rate {errorRate:P2} is above --max-error-rate {options.MaxErrorRate:P2} (5xx and transport errors)");
        }

        if (invariants is { Held: false })
        {
            failures.Add($"{invariants.Violations.Count} invariant violation(s)");
        }

        if (context.Faults.Count > 0)
        {
            failures.Add($"{context.Faults.Count} fault(s) inside the tester, first: {context.Faults.First}");
        }

        return new LoadTestResult(
            options,
            options.Rate is { } rate ? $"open ({rate:0.##} steps/s over {ready.Count} users)" : $"closed ({ready.Count} users)",
            startedAt,
            ready.Count,
            users.Count - ready.Count,
            setup.ToResult(),
            measuredResult,
            baselineRoute,
            invariants,
            metrics.TotalRequests,
            metrics.TotalErrors,
            Math.Round(errorRate, 6),
            openModel?.Dropped ?? 0,
            openModel?.Skipped ?? 0,
            failures)
        {
            BaselineCpu = baseline?.Cpu,
            LoadAverageAtStart = loadAtStart,
            LoadAverageAtEnd = LoadAverage(),
        };
    }

    /// <summary>The 1, 5 and 15 minute load averages, or null off Linux.</summary>
    private static string? LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static void Validate(LoadTestOptions options)
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException(message);
            }
        }

        Require(options.Users >= 1, "--users must be at least 1");
        Require(options.Rate is null or > 0, "--rate must be positive");
        Require(options.Duration > TimeSpan.Zero, "--duration must be positive");
        Require(options.Warmup >= TimeSpan.Zero, "--warmup must not be negative");
        Require(options.BeatInterval >= TimeSpan.Zero, "--beat-interval must not be negative");
        Require(options.WatchTime > TimeSpan.Zero, "--watch-seconds must be positive");
        // The server keeps 10 devices per user and drops the least recently used beyond that, which would look like a lost device.
        Require(options.DevicesPerUser is >= 1 and <= 10, "--devices-per-user must be 1 to 10 (the server keeps 10 devices per user)");
        Require(options.Refreshes >= 0, "--refreshes must not be negative");
        Require(options.MaxDevices >= 1 && options.MaxStreams >= 1, "--max-devices and --max-streams must be at least 1");
        Require(options.MaxErrorRate is >= 0 and <= 1, "--max-error-rate is a fraction from 0 to 1");
        Require(options.Connections >= 1, "--connections must be at least 1");
        Require(options.SetupConcurrency >= 1, "--setup-concurrency must be at least 1");
        Require(options.MaxInFlight >= 1, "--max-in-flight must be at least 1");
        Require(options.Baseline is null || options.Baseline > TimeSpan.Zero, "--baseline-seconds must be positive");
    }

    /// <summary>Waits out a phase; Ctrl+C ends it early and the run still drains, checks and reports.</summary>
    private static async Task Pause(TimeSpan length, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(length, cancel);
        }
        catch (OperationCanceledException)
        {
            // Cut short on purpose.
        }
    }
}
