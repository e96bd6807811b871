namespace Learning.LoadTest.ServerCpu;

/// <summary>Reads the server processes' CPU at the start and at the end of a phase.</summary>
public sealed class ServerCpuMeter
{
    private readonly IReadOnlyList<(int Pid, string Name)> processes;

    public ServerCpuMeter(IReadOnlyList<int> pids)
    {
        processes = pids.Distinct().Select(pid => (pid, ProcessCpuTime.Name(pid))).ToList();
    }

    /// <summary>A running measurement; <see cref="Stop"/> takes the second reading.</summary>
    public sealed class Window(IReadOnlyList<(int Pid, string Name, CpuTicks Start)> start)
    {
        public PhaseCpu Stop(long requests, TimeSpan elapsed) => CpuAccounting.Account(
            start.Select(p => (p.Pid, p.Name, p.Start, ReadOrSame(p.Pid, p.Start))).ToList(),
            requests,
            elapsed,
            ProcessCpuTime.TicksPerSecond);

        /// <summary>A process that exited in the window counts nothing after its last reading.</summary>
        private static CpuTicks ReadOrSame(int pid, CpuTicks start)
        {
            try
            {
                return ProcessCpuTime.Read(pid);
            }
            catch (IOException)
            {
                return start;
            }
        }
    }

    public Window Start() => new(processes.Select(p => (p.Pid, p.Name, ProcessCpuTime.Read(p.Pid))).ToList());

    /// <summary>Fails early, before any load, when a given pid is not a running process.</summary>
    public static void RequireRunning(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            if (!File.Exists($"/proc/{pid}/stat"))
            {
                throw new ArgumentException($"--server-pid {pid}: no such process (or no /proc on this system)");
            }
        }
    }
}
