using System.CommandLine;
using Learning.LoadTest.Scenarios;
using Learning.LoadTest.ServerCpu;

namespace Learning.LoadTest;

/// <summary>What a command line asks for: the run's options and what only the CLI needs (URL, timeout, JSON file).</summary>
public sealed record CommandLineRun(LoadTestOptions Options, Uri Url, TimeSpan Timeout, FileInfo? Json, string? Note);

/// <summary>The flags, one per <see cref="LoadTestOptions"/> property, and their binding into a <see cref="CommandLineRun"/>.</summary>
public sealed class CommandLine
{
    private readonly Option<string> scenario = new("--scenario") { Description = "viewers | contention | auth | mixed", DefaultValueFactory = _ => "viewers" };
    private readonly Option<int> users = new("--users") { Description = "virtual users (closed model: each loops; open model: the pool arrivals go to)", DefaultValueFactory = _ => 32 };
    private readonly Option<double?> rate = new("--rate") { Description = "open model: target steps per second across all users (a viewer's step is a heartbeat); omit for the closed model" };
    private readonly Option<double> warmup = new("--warmup") { Description = "seconds of load before measuring (discarded); the baseline is warmed up as long", DefaultValueFactory = _ => 5 };
    private readonly Option<double> duration = new("--duration") { Description = "seconds measured", DefaultValueFactory = _ => 30 };
    private readonly Option<int> seed = new("--seed") { Description = "seed of every random choice (emails stay unique per run)", DefaultValueFactory = _ => 1 };
    private readonly Option<string> url = new("--url") { Description = "base URL of the API", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
    private readonly Option<int> connections = new("--connections") { Description = "HTTP/1.1 connections at most (MaxConnectionsPerServer); also the check and baseline concurrency", DefaultValueFactory = _ => 64 };
    private readonly Option<double> beatInterval = new("--beat-interval") { Description = "closed model: seconds between a user's steps (viewers beat this often; 0 = back to back)", DefaultValueFactory = _ => 15 };
    private readonly Option<double> watchSeconds = new("--watch-seconds") { Description = "viewers: seconds watched per lesson before ending it and starting the next", DefaultValueFactory = _ => 60 };
    private readonly Option<int> devicesPerUser = new("--devices-per-user") { Description = "contention: devices racing on one account (1-10)", DefaultValueFactory = _ => 4 };
    private readonly Option<int> refreshes = new("--refreshes") { Description = "auth: refresh rotations after each login", DefaultValueFactory = _ => 3 };
    private readonly Option<string> mix = new("--mix") { Description = "mixed: weights, e.g. viewers=70,contention=10,auth=20", DefaultValueFactory = _ => ScenarioMix.Default.ToString() };
    private readonly Option<int> maxDevices = new("--max-devices") { Description = "the server's Limits:MaxActiveDevices, checked per user", DefaultValueFactory = _ => 1 };
    private readonly Option<int> maxStreams = new("--max-streams") { Description = "the server's Limits:MaxConcurrentStreams, checked per user", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> noCheck = new("--no-check") { Description = "skip the invariant check after the run" };
    private readonly Option<double> maxErrorRate = new("--max-error-rate") { Description = "fail when (5xx + transport errors) / requests is above this fraction", DefaultValueFactory = _ => 0.01 };
    private readonly Option<bool> baseline = new("--baseline") { Description = "first drive GET /health/live at the same concurrency (warmed up for --warmup) and print each route's rate as a fraction of it" };
    private readonly Option<double> baselineSeconds = new("--baseline-seconds") { Description = "length of the baseline", DefaultValueFactory = _ => 10 };
    private readonly Option<int> maxInFlight = new("--max-in-flight") { Description = "open model: arrivals beyond this many requests in flight are dropped and counted", DefaultValueFactory = _ => 10_000 };
    private readonly Option<int> setupConcurrency = new("--setup-concurrency") { Description = "users signing up at once (sign-up and sign-in hash a password: many at once only queue)", DefaultValueFactory = _ => 8 };
    private readonly Option<double> timeout = new("--timeout") { Description = "seconds before a request counts as a transport error", DefaultValueFactory = _ => 30 };
    private readonly Option<FileInfo?> json = new("--json") { Description = "also write the results to this file as JSON" };
    private readonly Option<int[]> serverPids = new("--server-pid") { Description = "a server process (API or silo) whose user+sys CPU per request is reported; repeat for each (cluster: the API and every silo)", AllowMultipleArgumentsPerToken = true };
    private readonly Option<int[]> serverPorts = new("--server-port") { Description = "like --server-pid, for the process listening on this TCP port (a silo's port); repeatable", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> noServerCpu = new("--no-server-cpu") { Description = "do not look for the process listening on --url's port when no --server-pid/--server-port is given" };
    private readonly Func<int, int?> findListener;

    /// <param name="findListener">Port to listening pid; <see cref="ListeningProcess.Find"/> unless a test fakes it.</param>
    public CommandLine(Func<int, int?>? findListener = null)
    {
        this.findListener = findListener ?? ListeningProcess.Find;
        scenario.AcceptOnlyFromAmong("viewers", "contention", "auth", "mixed");
        Root = new RootCommand("Load tester of the Learning API: drives a scenario, prints latency and server CPU per route, checks the per-user invariants.")
        {
            scenario, users, rate, warmup, duration, seed, url, connections, beatInterval, watchSeconds, devicesPerUser, refreshes, mix,
            maxDevices, maxStreams, noCheck, maxErrorRate, baseline, baselineSeconds, maxInFlight, setupConcurrency, timeout, json,
            serverPids, serverPorts, noServerCpu,
        };
    }

    public RootCommand Root { get; }

    /// <summary>Binds parsed flags; throws <see cref="ArgumentException"/> or <see cref="FormatException"/> for a bad value.</summary>
    public CommandLineRun Bind(ParseResult parse)
    {
        var baseUrl = new Uri(parse.GetValue(url)!, UriKind.Absolute);
        var (pids, note) = ServerProcesses(parse, baseUrl);
        var options = new LoadTestOptions
        {
            Scenario = Enum.Parse<ScenarioKind>(parse.GetValue(scenario)!, ignoreCase: true),
            Users = parse.GetValue(users),
            Rate = parse.GetValue(rate),
            Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
            Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
            Seed = parse.GetValue(seed),
            Connections = parse.GetValue(connections),
            BeatInterval = TimeSpan.FromSeconds(parse.GetValue(beatInterval)),
            WatchTime = TimeSpan.FromSeconds(parse.GetValue(watchSeconds)),
            DevicesPerUser = parse.GetValue(devicesPerUser),
            Refreshes = parse.GetValue(refreshes),
            Mix = ScenarioMix.Parse(parse.GetValue(mix)!),
            MaxDevices = parse.GetValue(maxDevices),
            MaxStreams = parse.GetValue(maxStreams),
            CheckInvariants = !parse.GetValue(noCheck),
            MaxErrorRate = parse.GetValue(maxErrorRate),
            Baseline = parse.GetValue(baseline) ? TimeSpan.FromSeconds(parse.GetValue(baselineSeconds)) : null,
            MaxInFlight = parse.GetValue(maxInFlight),
            SetupConcurrency = parse.GetValue(setupConcurrency),
            ServerProcessIds = pids,
        };
        LoadTester.Validate(options);
        if (parse.GetValue(timeout) <= 0)
        {
            throw new ArgumentException("--timeout must be positive");
        }

        return new CommandLineRun(options, baseUrl, TimeSpan.FromSeconds(parse.GetValue(timeout)), parse.GetValue(json), note);
    }

    /// <summary>
    /// The given pids, then the listeners of the given ports; with neither, the process listening on the URL's port
    /// when the URL is this machine's (a remote server's CPU cannot be read).
    /// </summary>
    private (IReadOnlyList<int> Pids, string? Note) ServerProcesses(ParseResult parse, Uri baseUrl)
    {
        var pids = new List<int>(parse.GetValue(serverPids) ?? []);
        foreach (var port in parse.GetValue(serverPorts) ?? [])
        {
            pids.Add(findListener(port) ?? throw new ArgumentException($"--server-port {port}: no process of this user listens on it"));
        }

        if (pids.Count > 0)
        {
            if (pids.Any(p => p <= 0))
            {
                throw new ArgumentException("--server-pid must be a positive process id");
            }

            return (pids.Distinct().ToList(), null);
        }

        if (parse.GetValue(noServerCpu))
        {
            return ([], null);
        }

        if (!baseUrl.IsLoopback)
        {
            return ([], "server CPU: not measured (the server is not on this machine; give --server-pid when it is)");
        }

        return findListener(baseUrl.Port) is { } found
            ? ([found], $"server CPU: pid {found}, found listening on port {baseUrl.Port} (a separate silo's CPU is not included: add --server-pid or --server-port)")
            : ([], $"server CPU: not measured (no process of this user listens on port {baseUrl.Port})");
    }
}
