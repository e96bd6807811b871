using Learning.Accounts;
using Learning.Catalog;
using Learning.Common;
using Learning.Devices;
using Learning.TestSupport;
using Learning.Playback;

namespace Learning.FunctionalTests.Cluster;

/// <summary>
/// The per-user rules hold when calls race in from both silos of a real cluster: the i-th racing call goes through
/// silo i % 2's own grain factory, so half of them cross to the other silo. The user's grain is deactivated before each
/// race, so the racing calls themselves activate it (from both silos at once), and one race moves it between silos
/// midway.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(Tier.Name, Tier.Slow)]
public sealed class PlaybackRaceTests(ClusterFixture fixture)
{
    private static readonly ClientInfo Client = new("127.0.0.1", "tests");

    [Fact]
    public async Task Forty_concurrent_device_registrations_leave_exactly_one_active_device()
    {
        var (user, caller) = await SignUpAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            User(i, caller).RegisterDevice(caller, new RegisterDevice($"racer-{i}", $"Racer {i}", Platform.Android))));

        Assert.Single(results, r => r.Succeeded);
        Assert.Equal(39, results.Count(r => !r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ErrorCodes.ActiveDeviceExists, r.Error!.Code));
        foreach (var silo in new[] { 0, 1 })
        {
            var devices = (await User(silo, caller).ListDevices(caller)).Value!;
            Assert.True(Assert.Single(devices).IsActive);
        }
    }

    [Fact]
    public async Task Twenty_concurrent_transfers_leave_exactly_one_active_device()
    {
        var (user, caller) = await SignUpAsync();

        var firstHalf = Enumerable.Range(0, 10).Select(i =>
            User(i, caller).TransferTo(caller, new RegisterDevice($"mover-{i}", $"Mover {i}", Platform.Ios))).ToList();
        await firstHalf[0];
        await fixture.MoveToTheOtherSiloAsync(user);
        var secondHalf = Enumerable.Range(10, 10).Select(i =>
            User(i, caller).TransferTo(caller, new RegisterDevice($"mover-{i}", $"Mover {i}", Platform.Ios))).ToList();
        var results = await Task.WhenAll(firstHalf.Concat(secondHalf));

        Assert.Equal(20, results.Length);
        Assert.All(results, r => Assert.True(r.Succeeded));
        foreach (var silo in new[] { 0, 1 })
        {
            var devices = (await User(silo, caller).ListDevices(caller)).Value!;
            Assert.StartsWith("mover-", Assert.Single(devices, d => d.IsActive).DeviceId);
        }
    }

    [Fact]
    public async Task Thirty_concurrent_starts_leave_exactly_one_live_session()
    {
        var (user, caller) = await SignUpAsync();
        Assert.True((await user.RegisterDevice(caller, new RegisterDevice("tv", "Television", Platform.Web))).Succeeded);
        await fixture.Cluster.DeactivateAsync(user);
        var lessons = (await LessonsAsync()).Select(l => l.Id.ToString()).ToList();

        var starts = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            User(i, caller).StartPlayback(caller, new StartPlayback(lessons[i], "tv", Takeover: i % 3 == 0))));

        Assert.Equal(30, starts.Length);
        Assert.All(starts, s => Assert.True(s.Succeeded));
        // Beats from both silos too: exactly one of the thirty tokens is still live, whichever silo asks.
        var beats = await Task.WhenAll(starts.Select((s, i) => User(i + 1, caller).Heartbeat(caller, s.Value!.SessionToken, 1)));
        Assert.Single(beats, b => b.Succeeded);
    }

    [Fact]
    public async Task A_transfer_stops_the_old_devices_stream_at_once()
    {
        var (user, caller) = await SignUpAsync();
        await user.RegisterDevice(caller, new RegisterDevice("old", "Old", Platform.Web));
        var lesson = (await LessonsAsync())[0];
        var started = (await user.StartPlayback(caller, new StartPlayback(lesson.Id.ToString(), "old", false))).Value!;

        await user.TransferTo(caller, new RegisterDevice("new", "New", Platform.Ios));

        var stream = await user.CheckStream(started.SessionId, lesson.Id);
        Assert.Equal(ErrorCodes.SessionExpired, stream.Error!.Code);
        Assert.Equal(EndReasons.DeviceTransferred, stream.Error.Reason);
    }

    /// <summary>The catalog's lessons (the demo catalog: the fixture's silos run in Development), as the catalog grain holds them.</summary>
    private async Task<IReadOnlyList<CatalogLesson>> LessonsAsync() =>
        (await fixture.Grains.GetGrain<ICatalogGrain>(0).GetSnapshotIfNewer(knownVersion: -1))!.Lessons;

    private async Task<(IUserGrain User, Caller Caller)> SignUpAsync()
    {
        var accounts = fixture.Grains.GetGrain<IAccountsGrain>(0);
        var email = ApiClient.NewEmail();
        await accounts.Register(new RegisterAccount(email, "quiet-otter-lantern", "Racer", Role.Student), Client);
        var grant = (await accounts.Login(email, "quiet-otter-lantern", Client)).Value!;
        var user = fixture.Grains.GetGrain<IUserGrain>(grant.UserId);
        // Sign-up activated it; the race must start from no activation at all.
        await fixture.Cluster.DeactivateAsync(user);
        return (user, new Caller(grant.UserId, grant.FamilyId, Client));
    }

    /// <summary>The user's grain as reached from silo <c>i % 2</c>.</summary>
    private IUserGrain User(int i, Caller caller) => fixture.FromSilo(i).GetGrain<IUserGrain>(caller.UserId);
}
