namespace Learning.LoadTest.ServerCpu;

/// <summary>One server process's CPU over a window.</summary>
public sealed record ProcessCpu(int Pid, string Name, double CpuSeconds, double? MicrosPerRequest);

/// <summary>
/// The server's CPU over one phase: every given process's user + system time between the phase's start and end,
/// divided by the requests that completed in it. Unlike a rate, this survives a change of machine and a busy neighbour
/// (to first order: a crowded CPU still costs some cache misses and context switches).
/// </summary>
public sealed record PhaseCpu(double CpuSeconds, long Requests, double? MicrosPerRequest, double CoresUsed, IReadOnlyList<ProcessCpu> Processes);

public static class CpuAccounting
{
    /// <summary>The CPU of each process between two readings, and of them all together, per request of the window.</summary>
    public static PhaseCpu Account(
        IReadOnlyList<(int Pid, string Name, CpuTicks Start, CpuTicks End)> processes, long requests, TimeSpan window, long ticksPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticksPerSecond);
        var rows = processes
            .Select(p => (p.Pid, p.Name, Seconds: (double)Math.Max(0, (p.End - p.Start).Total) / ticksPerSecond))
            .Select(p => new ProcessCpu(p.Pid, p.Name, Math.Round(p.Seconds, 3), PerRequest(p.Seconds, requests)))
            .ToList();
        var seconds = rows.Sum(r => r.CpuSeconds);
        var cores = window > TimeSpan.Zero ? Math.Round(seconds / window.TotalSeconds, 3) : 0;
        return new PhaseCpu(Math.Round(seconds, 3), requests, PerRequest(seconds, requests), cores, rows);
    }

    /// <summary>Microseconds of CPU per request; none when nothing completed.</summary>
    public static double? PerRequest(double cpuSeconds, long requests) =>
        requests > 0 ? Math.Round(cpuSeconds * 1_000_000 / requests, 1) : null;
}
