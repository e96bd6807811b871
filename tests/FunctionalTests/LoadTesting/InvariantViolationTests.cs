using Learning.LoadTest;
using Learning.LoadTest.Reporting;
using Learning.TestSupport;
using Xunit.Abstractions;

namespace Learning.FunctionalTests.LoadTesting;

/// <summary>
/// The invariant check is only worth something if it can fail: pointed at a server that allows two active devices
/// while it is told the server allows one, the run must report the second device as a violation and fail (the CLI's
/// exit code is <c>result.Succeeded ? 0 : 1</c>). The same run told the truth passes, so it is the limit that is caught.
/// Its runs are a few requests on accounts of their own, so it shares the two-devices host with the stream-limit tests.
/// </summary>
[Collection(TwoDevicesCollection.Name)]
[Trait(Tier.Name, Tier.Slow)]
public sealed class InvariantViolationTests(TwoDevicesApiFactory factory, ITestOutputHelper output)
{
    /// <summary>
    /// Contention packs two virtual devices on one account, and each registers its device during set-up; with two active
    /// devices allowed both stay active. An hour between steps keeps the load phase from stepping (a transfer would leave
    /// one device active again), so what the check sees is exactly what set-up left.
    /// </summary>
    private static readonly LoadTestOptions TwoDevicesOnOneAccount = new()
    {
        Scenario = ScenarioKind.Contention,
        Users = 2,
        DevicesPerUser = 2,
        Warmup = TimeSpan.Zero,
        Duration = TimeSpan.FromMilliseconds(200),
        BeatInterval = TimeSpan.FromHours(1),
        Connections = 4,
        MaxErrorRate = 0,
        MaxStreams = 1,
    };

    [Fact]
    public async Task A_server_allowing_more_active_devices_than_expected_fails_the_run_with_the_violation()
    {
        var result = await LoadTestRun.RunAsync(factory, TwoDevicesOnOneAccount with { MaxDevices = 1 }, output);

        AssertOnlySetUpRan(result);
        Assert.False(result.Succeeded);
        Assert.Equal(["1 invariant violation(s)"], result.Failures);
        var violation = Assert.Single(result.Invariants!.Violations);
        Assert.Equal("max_active_devices", violation.Rule);
        Assert.Equal("2 active devices, at most 1 allowed", violation.Detail);
        Assert.StartsWith("lt-", violation.User);
    }

    [Fact]
    public async Task The_same_run_told_the_servers_real_limit_holds()
    {
        var result = await LoadTestRun.RunAsync(factory, TwoDevicesOnOneAccount with { MaxDevices = 2 }, output);

        AssertOnlySetUpRan(result);
        Assert.True(result.Succeeded, string.Join("; ", result.Failures));
        Assert.Empty(result.Invariants!.Violations);
        Assert.Equal(1, result.Invariants.UsersChecked);
    }

    private static void AssertOnlySetUpRan(LoadTestResult result)
    {
        Assert.Equal(2, result.UsersReady);
        Assert.Equal(0, result.TotalErrors);
        Assert.DoesNotContain(result.Measured.Routes, r => r.Route == "POST /api/devices/transfer");
        var registrations = Assert.Single(result.Setup.Routes, r => r.Route == "POST /api/devices/register");
        Assert.Equal(2, registrations.StatusCounts.GetValueOrDefault("201"));
    }

}
