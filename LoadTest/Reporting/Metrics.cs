using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace Learning.LoadTest.Reporting;

/// <summary>
/// Where every request's outcome goes. Requests land in the current phase's <see cref="RouteTable"/> (set-up, warm-up,
/// measured, drain, check), so the measured window holds only what completed inside it, and also in a one-second
/// interval that the progress line reads and resets.
/// </summary>
public sealed class Metrics
{
    private readonly object intervalGate = new();
    private LongHistogram interval = Latency.NewHistogram();
    private long intervalErrors;
    private RouteTable current = new("idle", countsTowardErrorRate: false);
    private long totalRequests;
    private long totalErrors;

    /// <summary>Requests of the phases that count toward the error rate (set-up, warm-up, measured, drain).</summary>
    public long TotalRequests => Interlocked.Read(ref totalRequests);

    public long TotalErrors => Interlocked.Read(ref totalErrors);

    public RouteTable Current => Volatile.Read(ref current);

    /// <summary>Makes <paramref name="table"/> the phase that requests completing from now on belong to.</summary>
    public RouteTable Use(RouteTable table)
    {
        Volatile.Write(ref current, table);
        return table;
    }

    /// <summary>Status 0 stands for a transport error (refused, reset, timed out): no HTTP answer at all.</summary>
    public static bool IsError(int status) => status == 0 || status >= 500;

    public void Record(string route, int status, long elapsedTimestampTicks)
    {
        var micros = Latency.ToMicroseconds(elapsedTimestampTicks);
        var table = Current;
        table.Record(route, status, micros);
        var error = IsError(status);
        if (table.CountsTowardErrorRate)
        {
            Interlocked.Increment(ref totalRequests);
            if (error)
            {
                Interlocked.Increment(ref totalErrors);
            }
        }

        lock (intervalGate)
        {
            interval.RecordValue(micros);
            if (error)
            {
                intervalErrors++;
            }
        }
    }

    /// <summary>The requests of the last interval and a fresh interval in their place.</summary>
    public (long Requests, long Errors, double P99Ms) TakeInterval()
    {
        LongHistogram taken;
        long errors;
        lock (intervalGate)
        {
            taken = interval;
            errors = intervalErrors;
            interval = Latency.NewHistogram();
            intervalErrors = 0;
        }

        return (taken.TotalCount, errors, taken.TotalCount == 0 ? 0 : Latency.ToMilliseconds(taken.GetValueAtPercentile(99)));
    }
}

/// <summary>One phase's requests, by route.</summary>
public sealed class RouteTable(string name, bool countsTowardErrorRate = true)
{
    private readonly ConcurrentDictionary<string, RouteStats> routes = new(StringComparer.Ordinal);
    private readonly Stopwatch clock = new();

    public string Name { get; } = name;

    public bool CountsTowardErrorRate { get; } = countsTowardErrorRate;

    /// <summary>How long the phase ran: from <see cref="Start"/> to <see cref="Stop"/>.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    public RouteTable Start()
    {
        clock.Restart();
        return this;
    }

    public void Stop() => clock.Stop();

    public void Record(string route, int status, long micros) =>
        routes.GetOrAdd(route, static _ => new RouteStats()).Record(status, micros);

    public PhaseResult ToResult(double? baselineRate = null)
    {
        var seconds = Math.Max(Elapsed.TotalSeconds, 1e-9);
        var rows = routes.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => r.Value.ToResult(r.Key, seconds, baselineRate))
            .ToList();
        return new PhaseResult(Name, Math.Round(Elapsed.TotalSeconds, 3), rows);
    }
}

/// <summary>One route's latencies and status codes within a phase. A lock is plenty at tens of thousands of requests a second.</summary>
public sealed class RouteStats
{
    private readonly object gate = new();
    private readonly LongHistogram latency = Latency.NewHistogram();
    private readonly SortedDictionary<int, long> statuses = [];

    public void Record(int status, long micros)
    {
        lock (gate)
        {
            latency.RecordValue(micros);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        }
    }

    public RouteResult ToResult(string route, double seconds, double? baselineRate)
    {
        lock (gate)
        {
            var count = latency.TotalCount;
            var rate = count / seconds;
            return new RouteResult(
                route,
                count,
                Math.Round(rate, 1),
                Latency.ToMilliseconds(latency.GetValueAtPercentile(50)),
                Latency.ToMilliseconds(latency.GetValueAtPercentile(95)),
                Latency.ToMilliseconds(latency.GetValueAtPercentile(99)),
                Latency.ToMilliseconds(latency.GetMaxValue()),
                statuses.Where(s => Metrics.IsError(s.Key)).Sum(s => s.Value),
                statuses.ToDictionary(s => s.Key == 0 ? "transport" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value),
                baselineRate is > 0 ? Math.Round(rate / baselineRate.Value, 3) : null);
        }
    }
}

/// <summary>Latencies are kept in microseconds, from 1 µs to 5 minutes at 3 significant digits (0.1 % resolution).</summary>
internal static class Latency
{
    private const long Highest = 300_000_000;

    public static LongHistogram NewHistogram() => new(Highest, 3);

    public static long ToMicroseconds(long timestampTicks) =>
        Math.Clamp(timestampTicks * 1_000_000 / Stopwatch.Frequency, 1, Highest);

    public static double ToMilliseconds(long micros) => Math.Round(micros / 1000.0, 2);
}
