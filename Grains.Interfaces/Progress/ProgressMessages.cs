namespace Learning.Progress;

/// <summary>One lesson's progress as the contract shows it (<c>GET /api/progress</c>); seconds are whole.</summary>
[GenerateSerializer, Immutable, Alias("progress.lesson-view")]
public sealed record LessonProgressView(
    [property: Id(0)] Guid LessonId,
    [property: Id(1)] Guid CourseId,
    [property: Id(2)] int PositionSeconds,
    [property: Id(3)] int WatchedSeconds,
    [property: Id(4)] bool Completed,
    [property: Id(5)] DateTimeOffset? CompletedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);

/// <summary>A course the user has progress in (<c>GET /api/progress/courses</c>).</summary>
[GenerateSerializer, Immutable, Alias("progress.course-view")]
public sealed record CourseProgressView(
    [property: Id(0)] Guid CourseId,
    [property: Id(1)] int CompletedLessons,
    [property: Id(2)] int LessonCount,
    [property: Id(3)] int Percent,
    [property: Id(4)] Guid? NextLessonId);
