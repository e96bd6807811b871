namespace Learning.Playback;

[GenerateSerializer, Immutable, Alias("playback.start")]
public sealed record StartPlayback(
    [property: Id(0)] string LessonId,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] bool Takeover);

/// <summary>
/// A started session. <see cref="SessionToken"/> is the client's secret for heartbeats; the media URL names the
/// session by <see cref="SessionId"/> instead, so the token never travels in a URL.
/// </summary>
[GenerateSerializer, Immutable, Alias("playback.started")]
public sealed record PlaybackStarted(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] string SessionToken,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] int HeartbeatIntervalSeconds,
    [property: Id(4)] Guid LessonId,
    [property: Id(5)] string LessonTitle,
    [property: Id(6)] int DurationMinutes,
    [property: Id(7)] string? MediaFile) // LessonMedia.FileName of the file this session plays; null: the placeholder
{
    /// <summary>Where to start playing, in seconds: the lesson's last position, or 0 for a new or completed lesson.</summary>
    [Id(8)] public int ResumeAt { get; init; }
}

[GenerateSerializer, Immutable, Alias("playback.heartbeat-accepted")]
public sealed record HeartbeatAccepted([property: Id(0)] int ExpiresIn);

[GenerateSerializer, Immutable, Alias("playback.ended")]
public sealed record PlaybackEnded([property: Id(0)] int WatchTimeSeconds);

/// <summary>Why a session stopped being live; the values are the contract's <c>reason</c> strings.</summary>
public static class EndReasons
{
    public const string Expired = "expired";
    public const string Stale = "stale";
    public const string Ended = "ended";
    public const string Replaced = "replaced";
    public const string TakenOver = "taken_over";
    public const string DeviceTransferred = "device_transferred";
    public const string DeviceRevoked = "device_revoked";

    /// <summary>The user lost access (<c>Access:Mode=subscription</c>): by an event or by a deadline passing.</summary>
    public const string AccessEnded = "access_ended";
}
