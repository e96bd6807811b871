using Learning.TestSupport;
using Learning.LoadTest;
using Learning.LoadTest.Reporting;
using Learning.LoadTest.Scenarios;
using Xunit.Abstractions;

namespace Learning.FunctionalTests.LoadTesting;

/// <summary>
/// A plain API host beside the main collection's. The business clock does not move while a run goes on (the tests of
/// this collection run one at a time), so sessions stay live however long the run takes; heartbeats still go through
/// the whole pipeline and the user's grain. The runs are paced by their beat intervals (measured: 6 and 44 requests a
/// second), not bursts, so they run beside the other tests instead of after them.
/// </summary>
[Collection(LongRunCollection.Name)]
[Trait(Tier.Name, Tier.Slow)]
public sealed class LoadTesterSmokeTests(LearningApiFactory factory, ITestOutputHelper output)
{
    private static readonly LoadTestOptions Short = new()
    {
        Users = 5,
        Warmup = TimeSpan.Zero,
        Duration = TimeSpan.FromSeconds(3),
        BeatInterval = TimeSpan.FromSeconds(1),
        WatchTime = TimeSpan.FromSeconds(2),
        Connections = 8,
        MaxErrorRate = 0,
    };

    [Fact]
    public async Task Viewers_run_holds_the_invariants_without_errors()
    {
        // The in-process API runs in this process, so the test's own pid is the server's.
        var result = await LoadTestRun.RunAsync(factory, Short with { Scenario = ScenarioKind.Viewers, ServerProcessIds = [Environment.ProcessId] }, output);

        Assert.True(result.Succeeded, string.Join("; ", result.Failures));
        Assert.Equal(0, result.TotalErrors);
        Assert.Equal(5, result.UsersReady);
        var beats = Assert.Single(result.Measured.Routes, r => r.Route == "POST /api/video/heartbeat");
        Assert.True(beats.Requests > 0);
        Assert.True(beats.StatusCounts.GetValueOrDefault("200") > 0);
        Assert.Equal(5, result.Invariants!.UsersChecked);
        Assert.True(result.Invariants.SessionTokensProbed >= 5);
        Assert.Equal(result.Measured.Requests, result.Measured.Cpu!.Requests);
        Assert.Equal(Environment.ProcessId, Assert.Single(result.Measured.Cpu.Processes).Pid);
        AssertSpeaksTheContract(result);
    }

    [Fact]
    public async Task Mixed_run_with_racing_devices_holds_the_invariants()
    {
        var result = await LoadTestRun.RunAsync(factory, Short with
        {
            Scenario = ScenarioKind.Mixed,
            Users = 9,
            Mix = ScenarioMix.Parse("viewers=40,contention=40,auth=20"),
            DevicesPerUser = 3,
            BeatInterval = TimeSpan.FromMilliseconds(200),
            Refreshes = 2,
        }, output);

        Assert.True(result.Succeeded, string.Join("; ", result.Failures));
        Assert.Equal(0, result.TotalErrors);
        Assert.True(result.Measured.Requests > 0);
        Assert.True(result.Invariants!.UsersChecked > 0);
        AssertSpeaksTheContract(result);
    }

    [Fact]
    public void Mix_parses_named_weights_and_rejects_unknown_names()
    {
        Assert.Equal(new ScenarioMix(70, 10, 20), ScenarioMix.Parse("viewers=70, contention=10 ,auth=20"));
        Assert.Equal(new ScenarioMix(1, 0, 0), ScenarioMix.Parse("viewers=1"));
        Assert.Throws<FormatException>(() => ScenarioMix.Parse("watchers=5"));
        Assert.Throws<FormatException>(() => ScenarioMix.Parse("viewers=0"));
    }


    /// <summary>A 400 or 401 would mean the tester sends what the contract does not accept; the other 4xx are lost races.</summary>
    private static void AssertSpeaksTheContract(LoadTestResult result)
    {
        foreach (var route in result.Setup.Routes.Concat(result.Measured.Routes))
        {
            Assert.False(route.StatusCounts.ContainsKey("400"), $"{route.Route} answered 400");
            Assert.False(route.StatusCounts.ContainsKey("401"), $"{route.Route} answered 401");
        }
    }
}
