using System.CommandLine;
using System.Globalization;
using Learning.LoadTest.Reporting;
using Learning.LoadTest.Scenarios;

namespace Learning.LoadTest;

/// <summary>
/// The command line: flags map one to one onto <see cref="LoadTestOptions"/>; the work is <see cref="LoadTester.RunAsync"/>.
/// A named class, not top-level statements, so its <c>Program</c> never clashes with the API's in the tests.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var scenario = new Option<string>("--scenario") { Description = "viewers | contention | auth | mixed", DefaultValueFactory = _ => "viewers" };
        scenario.AcceptOnlyFromAmong("viewers", "contention", "auth", "mixed");
        var users = new Option<int>("--users") { Description = "virtual users (closed model: each loops; open model: the pool arrivals go to)", DefaultValueFactory = _ => 32 };
        var rate = new Option<double?>("--rate") { Description = "open model: target steps per second across all users (a viewer's step is a heartbeat); omit for the closed model" };
        var warmup = new Option<double>("--warmup") { Description = "seconds of load before measuring (discarded)", DefaultValueFactory = _ => 5 };
        var duration = new Option<double>("--duration") { Description = "seconds measured", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "seed of every random choice (emails stay unique per run)", DefaultValueFactory = _ => 1 };
        var url = new Option<string>("--url") { Description = "base URL of the API", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var connections = new Option<int>("--connections") { Description = "HTTP/1.1 connections at most (MaxConnectionsPerServer); also the check and baseline concurrency", DefaultValueFactory = _ => 64 };
        var beatInterval = new Option<double>("--beat-interval") { Description = "closed model: seconds between a user's steps (viewers beat this often; 0 = back to back)", DefaultValueFactory = _ => 15 };
        var watchSeconds = new Option<double>("--watch-seconds") { Description = "viewers: seconds watched per lesson before ending it and starting the next", DefaultValueFactory = _ => 60 };
        var devicesPerUser = new Option<int>("--devices-per-user") { Description = "contention: devices racing on one account (1-10)", DefaultValueFactory = _ => 4 };
        var refreshes = new Option<int>("--refreshes") { Description = "auth: refresh rotations after each login", DefaultValueFactory = _ => 3 };
        var mix = new Option<string>("--mix") { Description = "mixed: weights, e.g. viewers=70,contention=10,auth=20", DefaultValueFactory = _ => ScenarioMix.Default.ToString() };
        var maxDevices = new Option<int>("--max-devices") { Description = "the server's Limits:MaxActiveDevices, checked per user", DefaultValueFactory = _ => 1 };
        var maxStreams = new Option<int>("--max-streams") { Description = "the server's Limits:MaxConcurrentStreams, checked per user", DefaultValueFactory = _ => 1 };
        var noCheck = new Option<bool>("--no-check") { Description = "skip the invariant check after the run" };
        var maxErrorRate = new Option<double>("--max-error-rate") { Description = "fail when (5xx + transport errors) / requests is above this fraction", DefaultValueFactory = _ => 0.01 };
        var baseline = new Option<bool>("--baseline") { Description = "first drive GET /health/live at the same concurrency and print each route's rate as a fraction of it" };
        var baselineSeconds = new Option<double>("--baseline-seconds") { Description = "length of the baseline", DefaultValueFactory = _ => 10 };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = "open model: arrivals beyond this many requests in flight are dropped and counted", DefaultValueFactory = _ => 10_000 };
        var setupConcurrency = new Option<int>("--setup-concurrency") { Description = "users signing up at once (sign-up and sign-in hash a password: many at once only queue)", DefaultValueFactory = _ => 8 };
        var timeout = new Option<double>("--timeout") { Description = "seconds before a request counts as a transport error", DefaultValueFactory = _ => 30 };
        var json = new Option<FileInfo?>("--json") { Description = "also write the results to this file as JSON" };

        var root = new RootCommand("Load tester of the Learning API: drives a scenario, prints latency per route, checks the per-user invariants.")
        {
            scenario, users, rate, warmup, duration, seed, url, connections, beatInterval, watchSeconds, devicesPerUser, refreshes, mix,
            maxDevices, maxStreams, noCheck, maxErrorRate, baseline, baselineSeconds, maxInFlight, setupConcurrency, timeout, json,
        };

        root.SetAction(async (parse, cancel) =>
        {
            LoadTestOptions options;
            Uri baseUrl;
            try
            {
                options = new LoadTestOptions
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
                };
                LoadTester.Validate(options);
                baseUrl = new Uri(parse.GetValue(url)!, UriKind.Absolute);
                if (parse.GetValue(timeout) <= 0)
                {
                    throw new ArgumentException("--timeout must be positive");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message} (see --help)");
                return 2;
            }

            // One pooled handler: connections are reused across users, at most --connections of them, as a proxy in front would.
            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.Connections,
                UseProxy = false,
                UseCookies = false,
                AllowAutoRedirect = false,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            };
            using var http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) };

            LoadTestResult result;
            try
            {
                result = await LoadTester.RunAsync(options, http, Console.Error, cancel);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }

            ReportPrinter.Print(result, Console.Out);
            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, ReportPrinter.ToJson(result), CancellationToken.None);
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"JSON written to {file.FullName}"));
            }

            return result.Succeeded ? 0 : 1;
        });

        return await root.Parse(args).InvokeAsync();
    }
}
