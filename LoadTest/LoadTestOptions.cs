using Learning.LoadTest.Scenarios;

namespace Learning.LoadTest;

/// <summary>The scenarios a run can drive; <see cref="Mixed"/> blends the other three by <see cref="LoadTestOptions.Mix"/>.</summary>
public enum ScenarioKind
{
    Viewers,
    Contention,
    Auth,
    Mixed,
}

/// <summary>
/// Everything a run needs besides the <see cref="HttpClient"/>. The command line maps onto this record one flag per
/// property, so a test builds the same run in code.
/// </summary>
public sealed record LoadTestOptions
{
    public ScenarioKind Scenario { get; init; } = ScenarioKind.Viewers;

    /// <summary>Virtual users. Closed model: each runs its loop. Open model: the pool the arrivals are spread over.</summary>
    public int Users { get; init; } = 32;

    /// <summary>Open model when set: target steps per second across all users (a viewer's step is a heartbeat).</summary>
    public double? Rate { get; init; }

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Drives every random choice (scenario per user, lesson, contention operation), not the emails, which are unique per run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Pause between a user's steps in the closed model (a viewer beats this often; 0 = back to back).</summary>
    public TimeSpan BeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a viewer watches one lesson before ending it and starting the next.</summary>
    public TimeSpan WatchTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Contention: devices (each its own virtual user and login) racing on one account; at most the server's 10 kept devices.</summary>
    public int DevicesPerUser { get; init; } = 4;

    /// <summary>Auth: refresh rotations after each login.</summary>
    public int Refreshes { get; init; } = 3;

    /// <summary>Mixed: relative weights of viewers, contention and auth users.</summary>
    public ScenarioMix Mix { get; init; } = ScenarioMix.Default;

    /// <summary>The server's Limits:MaxActiveDevices and Limits:MaxConcurrentStreams, which the invariant check holds it to.</summary>
    public int MaxDevices { get; init; } = 1;

    public int MaxStreams { get; init; } = 1;

    public bool CheckInvariants { get; init; } = true;

    public double MaxErrorRate { get; init; } = 0.01;

    /// <summary>HTTP connections at most (the CLI sets MaxConnectionsPerServer to it); also the concurrency of the invariant check and the baseline.</summary>
    public int Connections { get; init; } = 64;

    /// <summary>
    /// Users set up at once. Sign-up and sign-in hash a password (PBKDF2, about a CPU-tenth of a second each) on two
    /// stateless workers per silo, so many at once only queue, and past the grain call timeout (10 s) they answer 503.
    /// </summary>
    public int SetupConcurrency { get; init; } = 8;

    /// <summary>When set, GET /health/live is driven this long first, at the run's concurrency, as the local ceiling.</summary>
    public TimeSpan? Baseline { get; init; }

    /// <summary>Open model: arrivals beyond this many requests in flight are dropped and counted, so an overloaded server cannot exhaust the tester.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>
    /// The server's processes (the embedded API; or the API and every silo): their user + system CPU over the baseline
    /// and the measured window is divided by the requests completed in it. None: no CPU figures.
    /// </summary>
    public IReadOnlyList<int> ServerProcessIds { get; init; } = [];
}
