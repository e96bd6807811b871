using Learning.LoadTest;

namespace Learning.FunctionalTests.LoadTesting;

/// <summary>The load tester's flags as a user types them, bound into a run; the listening-port lookup is faked.</summary>
public sealed class CommandLineTests
{
    private static readonly Dictionary<int, int> Listeners = new() { [5100] = 4100, [21110] = 4200 };

    [Fact]
    public void Server_pids_and_ports_are_all_measured_once_each()
    {
        var run = Bind("--url", "http://127.0.0.1:5100", "--server-pid", "4100", "--server-pid", "777", "--server-port", "21110", "5100");

        Assert.Equal([4100, 777, 4200], run.Options.ServerProcessIds);
        Assert.Null(run.Note);
    }

    [Fact]
    public void Without_pids_the_process_listening_on_the_urls_port_is_measured_and_named()
    {
        var run = Bind("--url", "http://127.0.0.1:5100");

        Assert.Equal([4100], run.Options.ServerProcessIds);
        Assert.Contains("pid 4100", run.Note);
    }

    [Fact]
    public void Without_pids_and_no_listener_or_with_no_server_cpu_nothing_is_measured()
    {
        Assert.Empty(Bind("--url", "http://127.0.0.1:6000").Options.ServerProcessIds);
        Assert.Empty(Bind("--url", "http://127.0.0.1:5100", "--no-server-cpu").Options.ServerProcessIds);
    }

    [Fact]
    public void A_port_nobody_listens_on_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Bind("--server-port", "6000"));

        Assert.Contains("--server-port 6000", error.Message);
    }

    [Fact]
    public void Baseline_and_run_flags_map_onto_the_options()
    {
        var run = Bind("--scenario", "viewers", "--users", "128", "--beat-interval", "0", "--warmup", "10", "--duration", "20",
            "--baseline", "--baseline-seconds", "15", "--timeout", "5", "--no-server-cpu");

        Assert.Equal(ScenarioKind.Viewers, run.Options.Scenario);
        Assert.Equal(128, run.Options.Users);
        Assert.Equal(TimeSpan.Zero, run.Options.BeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), run.Options.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(20), run.Options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(15), run.Options.Baseline);
        Assert.Equal(TimeSpan.FromSeconds(5), run.Timeout);
    }

    private static CommandLineRun Bind(params string[] args)
    {
        var commandLine = new CommandLine(port => Listeners.TryGetValue(port, out var pid) ? pid : null);
        var parse = commandLine.Root.Parse(args);
        Assert.Empty(parse.Errors);
        return commandLine.Bind(parse);
    }
}
