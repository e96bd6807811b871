using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Learning.Devices;
using Learning.Playback;

namespace Learning.Benchmarks;

/// <summary>The rules every heartbeat and start run in the user's grain: settle, find the session, credit the beat, decide a start.</summary>
[MemoryDiagnoser]
public class PlaybackRulesBenchmarks
{
    private static readonly DateTimeOffset Started = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly PlaybackOptions options = new();
    private readonly LimitsOptions limits = new();
    private ImmutableList<PlaybackSession> sessions = [];
    private ImmutableList<SessionTombstone> tombstones = [];
    private PlaybackSession session = null!;
    private Device device = null!;
    private Device otherDevice = null!;
    private DateTimeOffset now;

    [GlobalSetup]
    public void Setup()
    {
        device = new Device(Guid.NewGuid(), "device-1", "Laptop", default, true, Started, Started);
        otherDevice = device with { Id = Guid.NewGuid(), DeviceId = "device-2" };
        session = new PlaybackSession(Guid.NewGuid(), new string('a', 64), device.Id, device.DeviceId, device.DeviceName, Guid.NewGuid(),
            "Lesson", 600, Started, Started + options.SessionLifetime, Started, 0, 0, null, null);
        sessions = [session];
        // A user who watched a lot: the tombstone list a late beat is searched against.
        tombstones = [.. Enumerable.Range(0, 50).Select(i => new SessionTombstone(Guid.NewGuid(), new string((char)('b' + (i % 20)), 64), "ended", Started, 60))];
        now = Started + TimeSpan.FromSeconds(15);
    }

    /// <summary>What the grain does for one heartbeat: settle the list, find the session by its token hash, check and credit the position.</summary>
    [Benchmark(Baseline = true)]
    public PlaybackSession? Heartbeat()
    {
        var settled = PlaybackRules.Settle(sessions, now, options);
        var (open, _) = PlaybackRules.FindByToken(settled, tombstones, session.TokenHash);
        return open is not null && PlaybackRules.IsLive(open, now, options) && PlaybackRules.IsValidPosition(15, open, options)
            ? PlaybackRules.Beat(open, 15, now)
            : null;
    }

    [Benchmark]
    public PlaybackSession Beat() => PlaybackRules.Beat(session, 15, now);

    /// <summary>A start on another device while one stream plays (takeover).</summary>
    [Benchmark]
    public StartDecision StartWithTakeover() => PlaybackRules.DecideStart(sessions, otherDevice, true, now, limits, options);
}
