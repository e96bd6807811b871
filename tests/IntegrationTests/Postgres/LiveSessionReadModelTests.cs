using Learning.Accounts;
using Learning.TestSupport;
using Learning.Persistence;
using Learning.Playback;
using Learning.ReadModel;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Learning.IntegrationTests.Postgres;

/// <summary>
/// Both read models judge liveness as <see cref="LiveSessionWindow"/> does: the same sessions (live, ended, expired,
/// stale, and exactly at each boundary) give the same rows from memory and from PostgreSQL.
/// </summary>
public sealed class LiveSessionReadModelTests : IAsyncLifetime
{
    // Whole milliseconds: PostgreSQL keeps microseconds, so boundaries finer than that would not survive the round trip.
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly PlaybackOptions Options = new();
    private static readonly TimeSpan Timeout = Options.HeartbeatTimeout;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _clock = new(Now);
    private InMemoryReadModel _memory = null!;
    private PostgresReadModel _postgres = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        _dataSource = NpgsqlDataSource.Create(await PostgresDatabase.CreateAsync());
        _memory = new InMemoryReadModel(_clock, options);
        _postgres = new PostgresReadModel(_dataSource, _clock, options);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Memory_and_postgres_agree_on_which_sessions_are_live_at_every_boundary()
    {
        var fixtures = new Dictionary<string, Fixture>
        {
            ["live"] = new(Started: Now - TimeSpan.FromMinutes(10), Heartbeat: Now - TimeSpan.FromSeconds(10), Expires: Now + TimeSpan.FromHours(1), Live: true),
            ["heartbeat exactly at the timeout"] = new(Now - TimeSpan.FromMinutes(10), Now - Timeout, Now + TimeSpan.FromHours(1), Live: true),
            ["heartbeat just past the timeout (stale)"] = new(Now - TimeSpan.FromMinutes(10), Now - Timeout - Tick, Now + TimeSpan.FromHours(1), Live: false),
            ["long stale"] = new(Now - TimeSpan.FromHours(1), Now - TimeSpan.FromHours(1), Now + TimeSpan.FromHours(1), Live: false),
            ["expires just after now"] = new(Now - TimeSpan.FromHours(2) + Tick, Now - TimeSpan.FromSeconds(5), Now + Tick, Live: true),
            ["expires exactly now"] = new(Now - TimeSpan.FromHours(2), Now - TimeSpan.FromSeconds(5), Now, Live: false),
            ["expired long ago"] = new(Now - TimeSpan.FromHours(5), Now - TimeSpan.FromHours(3) - TimeSpan.FromSeconds(5), Now - TimeSpan.FromHours(3), Live: false),
            ["ended"] = new(Now - TimeSpan.FromMinutes(5), Now - TimeSpan.FromSeconds(5), Now + TimeSpan.FromHours(1), Live: false, Ended: true),
            ["ended with every other sign of life"] = new(Now - TimeSpan.FromMinutes(1), Now, Now + TimeSpan.FromHours(2), Live: false, Ended: true),
        };
        var names = fixtures.Keys.ToList();
        // Three users share the fixtures so the per-user counts differ; a fourth has no sessions.
        var users = Enumerable.Range(0, 4).Select(i => (Id: Guid.NewGuid(), Email: $"live-{i}-{Guid.NewGuid():N}@example.com")).ToList();
        var sessions = names.Select((name, i) => (Name: name, UserId: users[i % 3].Id, Session: fixtures[name].Session())).ToList();
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            var snapshot = new UserSnapshot(user.Id, 1, user.Email, "Live Test", Role.Student, Now - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(i), [],
                sessions.Where(s => s.UserId == user.Id).Select(s => s.Session).ToList());
            await _memory.WriteAsync(snapshot, []);
            await _postgres.WriteAsync(snapshot, []);
        }

        var expectedLiveCounts = users.ToDictionary(u => u.Id, u => sessions.Count(s => s.UserId == u.Id && fixtures[s.Name].Live));
        Assert.Equal(expectedLiveCounts, await LiveCounts(_memory));
        Assert.Equal(expectedLiveCounts, await LiveCounts(_postgres));

        var expectedLive = sessions.ToDictionary(s => s.Session.Id, s => fixtures[s.Name].Live);
        foreach (var live in new bool?[] { true, false, null })
        {
            var expected = expectedLive.Where(e => live is null || e.Value == live).ToDictionary();
            Assert.Equal(Describe(expected, sessions), Describe(await Sessions(_memory, live), sessions));
            Assert.Equal(Describe(expected, sessions), Describe(await Sessions(_postgres, live), sessions));
        }
    }

    private static async Task<Dictionary<Guid, int>> LiveCounts(IOperatorQueries queries) =>
        (await queries.ListUsersAsync(new UserFilter(Email: "live-", Limit: 100, After: null))).Results.ToDictionary(u => u.Id, u => u.LiveSessions);

    private static async Task<Dictionary<Guid, bool>> Sessions(IOperatorQueries queries, bool? live) =>
        (await queries.ListSessionsAsync(new SessionFilter(live, UserId: null, Limit: 100, After: null))).Results.ToDictionary(s => s.Id, s => s.Live);

    /// <summary>Names instead of ids, so a failure says which fixture the two models disagree on.</summary>
    private static string Describe(Dictionary<Guid, bool> rows, List<(string Name, Guid UserId, PlaybackSession Session)> sessions) =>
        string.Join("; ", sessions.Where(s => rows.ContainsKey(s.Session.Id)).Select(s => $"{s.Name}: {(rows[s.Session.Id] ? "live" : "not live")}").Order());

    private sealed record Fixture(DateTimeOffset Started, DateTimeOffset Heartbeat, DateTimeOffset Expires, bool Live, bool Ended = false)
    {
        public PlaybackSession Session() => new(
            Guid.NewGuid(), Guid.NewGuid().ToString("N"), Guid.NewGuid(), "web-live", "Live device", Guid.NewGuid(), "Lesson", 600,
            Started, Expires, Heartbeat, Position: 0, WatchTimeSeconds: 0,
            EndedAt: Ended ? Heartbeat : null, EndReason: Ended ? EndReasons.Ended : null);
    }
}
