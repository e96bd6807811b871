using System.Globalization;
using System.Runtime.InteropServices;

namespace Learning.LoadTest.ServerCpu;

/// <summary>One reading of a process's CPU time: user and system clock ticks as <c>/proc/&lt;pid&gt;/stat</c> gives them.</summary>
public readonly record struct CpuTicks(long User, long System)
{
    public long Total => User + System;

    public static CpuTicks operator -(CpuTicks end, CpuTicks start) => new(end.User - start.User, end.System - start.System);
}

/// <summary>Reads <c>utime</c> and <c>stime</c> of a process from <c>/proc/&lt;pid&gt;/stat</c> (Linux only).</summary>
public static class ProcessCpuTime
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK on Linux

    /// <summary>Clock ticks per second of the stat file's times (USER_HZ, 100 on every Linux seen so far).</summary>
    public static long TicksPerSecond { get; } = ReadTicksPerSecond();

    public static CpuTicks Read(int pid) => Parse(File.ReadAllText($"/proc/{pid}/stat"));

    /// <summary>The command name, as the kernel keeps it (at most 15 characters).</summary>
    public static string Name(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>
    /// The second field (the command name) is in parentheses and may itself hold spaces and parentheses, so fields are
    /// counted from the last ')'. After it come field 3 (state) onwards; utime and stime are fields 14 and 15.
    /// </summary>
    public static CpuTicks Parse(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("not a /proc/<pid>/stat line: no ')' after the command name");
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13)
        {
            throw new FormatException($"not a /proc/<pid>/stat line: {fields.Length + 2} fields");
        }

        return new CpuTicks(
            long.Parse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture),
            long.Parse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static long ReadTicksPerSecond()
    {
        try
        {
            return OperatingSystem.IsLinux() && SystemConfiguration(ClockTicksName) is > 0 and var hz ? hz : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SystemConfiguration(int name);
}
