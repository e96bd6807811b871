using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Learning.LoadTest.Reporting;

/// <summary>The end-of-run report: a table per phase, the invariant check and the verdict; or the same as JSON.</summary>
public static class ReportPrinter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string ToJson(LoadTestResult result) => JsonSerializer.Serialize(result, Json);

    public static void Print(LoadTestResult result, TextWriter output)
    {
        var o = result.Options;
        output.WriteLine();
        output.WriteLine(Invariant($"scenario {o.Scenario.ToString().ToLowerInvariant()}, {result.Model}, warm-up {o.Warmup.TotalSeconds:0.#} s, duration {o.Duration.TotalSeconds:0.#} s, beat interval {o.BeatInterval.TotalSeconds:0.###} s, seed {o.Seed}"));
        output.WriteLine(Invariant($"users ready {result.UsersReady}, failed set-up {result.UsersFailedSetup}"));
        output.WriteLine(Invariant($"load average (1/5/15 min): {result.LoadAverageAtStart ?? "?"} at start, {result.LoadAverageAtEnd ?? "?"} at end"));
        if (result.DroppedArrivals > 0 || result.SkippedBusyUsers > 0)
        {
            // Dropped arrivals mean the server fell behind; skips mean a user was still busy, so more --users spread the rate.
            output.WriteLine(Invariant($"open model: {result.DroppedArrivals:N0} arrivals dropped (--max-in-flight reached: the server fell behind), {result.SkippedBusyUsers:N0} skipped (that user's previous step still running: add --users)"));
        }

        PrintPhase("Set-up (sign-up, sign-in, first device and lesson; login is PBKDF2-SHA512 210,000 iterations on purpose)", result.Setup, output);
        if (result.Baseline is { } baseline)
        {
            PrintPhase("Baseline (warmed up as long as the measured phase)", new PhaseResult("baseline", 0, [baseline]) { Cpu = result.BaselineCpu }, output);
        }

        PrintPhase("Measured", result.Measured, output);
        output.WriteLine(Invariant($"total {result.Measured.Requests:N0} requests in {result.Measured.Seconds:0.0} s = {result.Measured.RatePerSecond:N0} req/s"));

        if (result.Invariants is { } check)
        {
            output.WriteLine();
            output.WriteLine(Invariant($"Invariant check: {check.UsersChecked} users, {check.DevicesExpected} acknowledged devices, {check.SessionTokensProbed} session tokens probed ({check.LiveSessionsFound} live): {(check.Held ? "held" : "BROKEN")}"));
            foreach (var v in check.Violations.Take(20))
            {
                output.WriteLine($"  {v.Rule}: {v.User}: {v.Detail}");
            }

            if (check.Violations.Count > 20)
            {
                output.WriteLine(Invariant($"  ... and {check.Violations.Count - 20} more (see --json)"));
            }
        }
        else
        {
            output.WriteLine("Invariant check: skipped (--no-check)");
        }

        var limited = result.Setup.Routes.Concat(result.Measured.Routes).Sum(r => r.StatusCounts.GetValueOrDefault("429"));
        if (limited > 0)
        {
            // We never send a wrong password, so a 429 here is the server's rate limiter, not an account lock-out.
            output.WriteLine(Invariant($"note: {limited:N0} requests answered 429: the server's rate limits are on; for measurements raise or disable them (RateLimits__Enabled=false, see README)"));
        }

        output.WriteLine(Invariant($"errors (5xx + transport): {result.TotalErrors:N0} of {result.TotalRequests:N0} = {result.ErrorRate:P3} (allowed {o.MaxErrorRate:P2})"));
        output.WriteLine(result.Succeeded ? "RESULT: PASS" : "RESULT: FAIL: " + string.Join("; ", result.Failures));
    }

    private static void PrintPhase(string title, PhaseResult phase, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(title);
        // "rate/live": this route's rate as a fraction of the /health/live baseline's (only with --baseline).
        var baseline = phase.Routes.Any(r => r.RatioToBaseline is not null);
        // "cpu µs/req": the server processes' CPU over the phase per request, on the route that made >= 90 % of them.
        var cpu = phase.Cpu is not null;
        var header = $"{"route",-28} {"requests",9} {"req/s",9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",9} {"errors",7}"
            + (baseline ? $"  {"rate/live",9}" : "") + (cpu ? $"  {"cpu µs/req",10}" : "") + "  statuses";
        output.WriteLine(header);
        output.WriteLine(new string('-', header.Length + 10));
        foreach (var r in phase.Routes)
        {
            var ratio = r.RatioToBaseline is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "";
            var statuses = new StringBuilder();
            foreach (var (status, count) in r.StatusCounts)
            {
                statuses.Append(CultureInfo.InvariantCulture, $"{status}:{count} ");
            }

            var perRequest = r.CpuMicrosPerRequest is { } micros ? micros.ToString("0.0", CultureInfo.InvariantCulture) : "";
            output.WriteLine(Invariant($"{r.Route,-28} {r.Requests,9:N0} {r.RatePerSecond,9:N1} {r.P50Ms,8:N2} {r.P95Ms,8:N2} {r.P99Ms,8:N2} {r.MaxMs,9:N2} {r.Errors,7:N0}")
                + (baseline ? $"  {ratio,9}" : "") + (cpu ? $"  {perRequest,10}" : "") + $"  {statuses}");
        }

        if (phase.Cpu is { } c)
        {
            var processes = string.Join(", ", c.Processes.Select(p => Invariant($"{p.Name} (pid {p.Pid}) {p.CpuSeconds:0.00} s = {p.MicrosPerRequest?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} µs/req")));
            output.WriteLine(Invariant($"server CPU (user+sys): {c.CpuSeconds:0.00} s over {c.Requests:N0} requests = {c.MicrosPerRequest?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} µs/req, {c.CoresUsed:0.00} cores; {processes}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
