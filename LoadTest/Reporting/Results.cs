using Learning.LoadTest.ServerCpu;

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
    double? RatioToBaseline)
{
    /// <summary>
    /// The phase's server CPU per request, given for the route that made nearly all of the phase's requests (process
    /// CPU cannot be split between routes; a viewers run is almost only heartbeats, a baseline only /health/live).
    /// </summary>
    public double? CpuMicrosPerRequest { get; init; }
}

public sealed record PhaseResult(string Name, double Seconds, IReadOnlyList<RouteResult> Routes)
{
    /// <summary>A route must make at least this share of a phase's requests to be given the phase's CPU per request.</summary>
    public const double DominantShare = 0.9;

    /// <summary>The server processes' CPU over the phase (only with server pids).</summary>
    public PhaseCpu? Cpu { get; init; }

    /// <summary>This phase with its CPU, and that CPU per request on the route that made nearly all its requests.</summary>
    public PhaseResult WithCpu(PhaseCpu? cpu)
    {
        if (cpu is null)
        {
            return this;
        }

        var total = Requests;
        return this with
        {
            Cpu = cpu,
            Routes = Routes.Select(r => total > 0 && r.Requests >= DominantShare * total ? r with { CpuMicrosPerRequest = cpu.MicrosPerRequest } : r).ToList(),
        };
    }

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
    /// <summary>The baseline phase's server CPU (only with --baseline and server pids).</summary>
    public PhaseCpu? BaselineCpu { get; init; }

    /// <summary><c>/proc/loadavg</c> (1, 5, 15 min) when the run started and when it ended: how crowded the machine was.</summary>
    public string? LoadAverageAtStart { get; init; }

    public string? LoadAverageAtEnd { get; init; }

    /// <summary>No invariant broke and the error rate stayed within the allowed fraction.</summary>
    public bool Succeeded => Failures.Count == 0;
}
