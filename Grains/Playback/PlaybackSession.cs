namespace Learning.Playback;

/// <summary>
/// One playback session as the user's grain keeps it. The token is stored only as a SHA-256 hash; the device
/// and lesson are copied in so the session can be described after either changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("playback.session")]
public sealed record PlaybackSession(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string TokenHash,
    [property: Id(2)] Guid DeviceRecordId,
    [property: Id(3)] string DeviceId,
    [property: Id(4)] string DeviceName,
    [property: Id(5)] Guid LessonId,
    [property: Id(6)] string LessonTitle,
    [property: Id(7)] int LessonSeconds,
    [property: Id(8)] DateTimeOffset StartedAt,
    [property: Id(9)] DateTimeOffset ExpiresAt,
    [property: Id(10)] DateTimeOffset LastHeartbeat,
    [property: Id(11)] double Position,
    [property: Id(12)] double WatchTimeSeconds,
    [property: Id(13)] DateTimeOffset? EndedAt,
    [property: Id(14)] string? EndReason)
{
    /// <summary>
    /// How far the credit of the latest beats ran ahead of the wall-clock time between them (0 to
    /// <see cref="PlaybackRules.CreditSlack"/>): the part of the session's one allowance already spent.
    /// </summary>
    [Id(15)] public double CreditAheadSeconds { get; init; }

    /// <summary>
    /// The refresh family (the access token's <c>sid</c>) that started the session: revoking the family ends it.
    /// Empty for sessions stored before sessions knew their family.
    /// </summary>
    [Id(16)] public Guid FamilyId { get; init; }

    /// <summary>
    /// The lesson was a free preview when the session started: it plays without access (<c>Access:Mode=subscription</c>),
    /// so losing access does not end it.
    /// </summary>
    [Id(17)] public bool FreePreview { get; init; }

    public bool IsEnded => EndedAt is not null;
}
