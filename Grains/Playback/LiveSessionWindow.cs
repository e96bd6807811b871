namespace Learning.Playback;

/// <summary>
/// The contract's one definition of a live session, fixed at an instant: not ended, <c>now &lt; expires_at</c>, and
/// last heard from at or after <see cref="HeartbeatSince"/> (<c>now - HeartbeatTimeout</c>). The grains' rules and
/// both read models judge liveness through this type; the PostgreSQL read model binds the same two cutoffs.
/// </summary>
public readonly record struct LiveSessionWindow(DateTimeOffset Now, DateTimeOffset HeartbeatSince)
{
    public static LiveSessionWindow At(DateTimeOffset now, PlaybackOptions options) => new(now, now - options.HeartbeatTimeout);

    /// <summary>The window at the business clock's current time (the keyed <c>Clock.ServiceKey</c> provider).</summary>
    public static LiveSessionWindow Current(TimeProvider clock, PlaybackOptions options) => At(clock.GetUtcNow(), options);

    public bool IsLive(PlaybackSession session) => IsLive(session.EndedAt, session.ExpiresAt, session.LastHeartbeat);

    public bool IsLive(DateTimeOffset? endedAt, DateTimeOffset expiresAt, DateTimeOffset lastHeartbeat) =>
        endedAt is null && Now < expiresAt && lastHeartbeat >= HeartbeatSince;
}
