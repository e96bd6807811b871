using System.Collections.Immutable;

namespace Learning.Progress;

/// <summary>A stretch of a lesson that was watched, in seconds from its start (<see cref="Start"/> &lt; <see cref="End"/>).</summary>
[GenerateSerializer, Immutable, Alias("progress.span")]
public readonly record struct WatchedSpan([property: Id(0)] double Start, [property: Id(1)] double End)
{
    public double Length => End - Start;
}

/// <summary>
/// One user's progress in one lesson: where to resume, how far credited playback reached, which parts were watched
/// (merged spans, so replays and two devices never count twice) and when it was completed. Every change moves
/// <see cref="UpdatedAt"/> and <see cref="Revision"/>: the progress store keeps the newest by that pair, so a repeated
/// or late write never replaces a newer one.
/// </summary>
[GenerateSerializer, Immutable, Alias("progress.lesson")]
public sealed record LessonProgress(
    [property: Id(0)] Guid LessonId,
    [property: Id(1)] Guid CourseId,
    [property: Id(2)] int LessonSeconds,
    [property: Id(3)] double PositionSeconds,
    [property: Id(4)] double FurthestSeconds,
    [property: Id(5)] ImmutableArray<WatchedSpan> Watched,
    [property: Id(6)] double WatchedSeconds,
    [property: Id(7)] DateTimeOffset? CompletedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] long Revision)
{
    public bool Completed => CompletedAt is not null;

    /// <summary>Nothing recorded yet (revision 0): nothing to store, and no row to show.</summary>
    public bool IsEmpty => Revision == 0;

    /// <summary>Whether this is a newer record of the lesson than <paramref name="other"/> (the store's ordering).</summary>
    public bool IsNewerThan(LessonProgress? other) =>
        other is null || UpdatedAt > other.UpdatedAt || (UpdatedAt == other.UpdatedAt && Revision > other.Revision);
}
