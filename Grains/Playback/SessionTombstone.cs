namespace Learning.Playback;

/// <summary>
/// What a user's grain remembers of an ended session once the read model has its final state: enough for its token
/// to keep answering <c>410</c> with the reason (heartbeat, media) and the same total (an idempotent end), and no more.
/// Kept for <see cref="PlaybackOptions.SessionLifetime"/> after the session ended, at most
/// <see cref="PlaybackOptions.EndedSessionsKept"/> per user.
/// </summary>
[GenerateSerializer, Immutable, Alias("playback.tombstone")]
public sealed record SessionTombstone(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] string TokenHash,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset EndedAt,
    [property: Id(4)] double WatchTimeSeconds)
{
    public static SessionTombstone Of(PlaybackSession ended) =>
        new(ended.Id, ended.TokenHash, ended.EndReason ?? EndReasons.Ended, ended.EndedAt ?? throw new ArgumentException("The session has not ended.", nameof(ended)),
            ended.WatchTimeSeconds);
}
