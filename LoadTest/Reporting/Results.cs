namespace Learning.LoadTest.Reporting;

/// <summary>One route within a phase. Latencies in milliseconds; <see cref="Errors"/> are 5xx and transport errors only.</summary>
public sealed record RouteResult(
    string Route,
    long Requests,
    double RatePerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    long Errors,
    IReadOnlyDictionary<string, long> StatusCounts,
    double? RatioToBaseline);

public sealed record PhaseResult(string Name, double Seconds, IReadOnlyList<RouteResult> Routes)
{
    public long Requests => Routes.Sum(r => r.Requests);

    public long Errors => Routes.Sum(r => r.Errors);

    public double RatePerSecond => Seconds > 0 ? Math.Round(Requests / Seconds, 1) : 0;
}

/// <summary>A rule the server broke for one user: what the tester was told versus what the server shows now.</summary>
public sealed record InvariantViolation(string User, string Rule, string Detail);

public sealed record InvariantReport(
    int UsersChecked,
    int DevicesExpected,
    int SessionTokensProbed,
    int LiveSessionsFound,
    IReadOnlyList<InvariantViolation> Violations)
{
    public bool Held => Violations.Count == 0;
}

public sealed record LoadTestResult(
    LoadTestOptions Options,
    string Model,
    DateTimeOffset StartedAt,
    int UsersReady,
    int UsersFailedSetup,
    PhaseResult Setup,
    PhaseResult Measured,
    RouteResult? Baseline,
    InvariantReport? Invariants,
    long TotalRequests,
    long TotalErrors,
    double ErrorRate,
    long DroppedArrivals,
    long SkippedBusyUsers,
    IReadOnlyList<string> Failures)
{
    /// <summary>No invariant broke and the error rate stayed within the allowed fraction.</summary>
    public bool Succeeded => Failures.Count == 0;
}
