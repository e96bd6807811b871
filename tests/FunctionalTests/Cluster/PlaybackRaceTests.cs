using Learning.Accounts;
using Learning.Catalog;
using Learning.Common;
using Learning.Devices;
using Learning.TestSupport;
using Learning.Playback;

namespace Learning.FunctionalTests.Cluster;

/// <summary>The per-user rules hold when calls race in from both silos of a real cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PlaybackRaceTests(ClusterFixture fixture)
{
    private static readonly ClientInfo Client = new("127.0.0.1", "tests");

    [Fact]
    public async Task Forty_concurrent_device_registrations_leave_exactly_one_active_device()
    {
        var (user, caller) = await SignUpAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            user.RegisterDevice(caller, new RegisterDevice($"racer-{i}", $"Racer {i}", Platform.Android))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ErrorCodes.ActiveDeviceExists, r.Error!.Code));
        var devices = (await user.ListDevices(caller)).Value!;
        Assert.True(Assert.Single(devices).IsActive);
    }

    [Fact]
    public async Task Twenty_concurrent_transfers_leave_exactly_one_active_device()
    {
        var (user, caller) = await SignUpAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            user.TransferTo(caller, new RegisterDevice($"mover-{i}", $"Mover {i}", Platform.Ios))));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Single((await user.ListDevices(caller)).Value!, d => d.IsActive);
    }

    [Fact]
    public async Task Thirty_concurrent_starts_leave_exactly_one_live_session()
    {
        var (user, caller) = await SignUpAsync();
        await user.RegisterDevice(caller, new RegisterDevice("tv", "Television", Platform.Web));
        var lessons = (await LessonsAsync()).Select(l => l.Id.ToString()).ToList();

        var starts = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            user.StartPlayback(caller, new StartPlayback(lessons[i], "tv", Takeover: i % 3 == 0))));

        Assert.All(starts, s => Assert.True(s.Succeeded));
        var beats = await Task.WhenAll(starts.Select(s => user.Heartbeat(caller, s.Value!.SessionToken, 1)));
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

    /// <summary>The catalog's lessons, as any client finds them: course by course.</summary>
    private async Task<IReadOnlyList<CourseLesson>> LessonsAsync()
    {
        var catalog = fixture.Grains.GetGrain<ICatalogGrain>(0);
        var lessons = new List<CourseLesson>();
        foreach (var summary in await catalog.ListCourses())
        {
            lessons.AddRange((await catalog.GetCourse(summary.Id.ToString())).Value!.Lessons);
        }

        return lessons;
    }

    private async Task<(IUserGrain User, Caller Caller)> SignUpAsync()
    {
        var accounts = fixture.Grains.GetGrain<IAccountsGrain>(0);
        var email = ApiClient.NewEmail();
        await accounts.Register(new RegisterAccount(email, "quiet-otter-lantern", "Racer", Role.Student), Client);
        var grant = (await accounts.Login(email, "quiet-otter-lantern", Client)).Value!;
        return (fixture.Grains.GetGrain<IUserGrain>(grant.UserId), new Caller(grant.UserId, grant.FamilyId, Client));
    }
}
