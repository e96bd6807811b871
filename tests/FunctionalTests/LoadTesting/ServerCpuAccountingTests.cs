using Learning.LoadTest.Reporting;
using Learning.LoadTest.ServerCpu;

namespace Learning.FunctionalTests.LoadTesting;

/// <summary>The load tester's CPU per request: reading /proc/&lt;pid&gt;/stat, the arithmetic, and which route gets the figure.</summary>
public sealed class ServerCpuAccountingTests
{
    [Fact]
    public void Stat_line_gives_utime_and_stime_even_when_the_command_name_holds_spaces_and_parentheses()
    {
        const string Stat = "4242 (.NET Tiered (x) Co) S 1 4242 4242 0 -1 4194560 12345 0 3 0 1500 250 0 0 20 0 24 0 900 1000 200 18446744073709551615";

        Assert.Equal(new CpuTicks(1500, 250), ProcessCpuTime.Parse(Stat));
    }

    [Fact]
    public void A_truncated_stat_line_is_refused()
    {
        Assert.Throws<FormatException>(() => ProcessCpuTime.Parse("4242 (dotnet) S 1 2 3"));
        Assert.Throws<FormatException>(() => ProcessCpuTime.Parse("no parentheses here"));
    }

    [Fact]
    public void Cpu_per_request_sums_every_process_over_the_window()
    {
        // API: 300 user + 100 sys ticks; silo: 150 + 50. At 100 ticks a second that is 4 s + 2 s over 60,000 requests.
        var cpu = CpuAccounting.Account(
            [(10, "api", new CpuTicks(1000, 500), new CpuTicks(1300, 600)), (20, "silo", new CpuTicks(70, 30), new CpuTicks(220, 80))],
            requests: 60_000,
            window: TimeSpan.FromSeconds(20),
            ticksPerSecond: 100);

        Assert.Equal(6.0, cpu.CpuSeconds);
        Assert.Equal(100.0, cpu.MicrosPerRequest);
        Assert.Equal(0.3, cpu.CoresUsed);
        Assert.Equal([new ProcessCpu(10, "api", 4.0, 66.7), new ProcessCpu(20, "silo", 2.0, 33.3)], cpu.Processes);
    }

    [Fact]
    public void No_requests_gives_no_figure_and_a_clock_going_backwards_counts_nothing()
    {
        var cpu = CpuAccounting.Account([(10, "api", new CpuTicks(500, 500), new CpuTicks(400, 500))], requests: 0, TimeSpan.FromSeconds(1), 100);

        Assert.Null(cpu.MicrosPerRequest);
        Assert.Equal(0, cpu.CpuSeconds);
    }

    [Fact]
    public void Only_the_route_that_made_nearly_all_the_phases_requests_gets_the_phases_cpu_per_request()
    {
        var phase = new PhaseResult("measured", 20, [Route("POST /api/video/heartbeat", 9_500), Route("POST /api/video/start", 500)]);
        var cpu = CpuAccounting.Account([(1, "api", new CpuTicks(0, 0), new CpuTicks(150, 50))], 10_000, TimeSpan.FromSeconds(20), 100);

        var withCpu = phase.WithCpu(cpu);

        Assert.Equal(200.0, withCpu.Routes[0].CpuMicrosPerRequest);
        Assert.Null(withCpu.Routes[1].CpuMicrosPerRequest);
        Assert.Same(cpu, withCpu.Cpu);
    }

    [Fact]
    public void The_listener_of_a_port_is_found_in_the_tcp_table_by_state_and_port()
    {
        string[] table =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:13EC 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0",
            "   1: 0100007F:13EC 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 20 4 30 10 -1",
            "   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 100 0 0 10 0",
        ];

        Assert.Equal(["111"], ListeningProcess.ListeningInodes(table, 5100));
        Assert.Empty(ListeningProcess.ListeningInodes(table, 5101));
    }

    private static RouteResult Route(string name, long requests) =>
        new(name, requests, requests / 20.0, 1, 2, 3, 4, 0, new Dictionary<string, long> { ["200"] = requests }, null);
}
