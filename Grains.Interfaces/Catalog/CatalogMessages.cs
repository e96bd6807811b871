namespace Learning.Catalog;

// What the public catalog routes answer. Built from a CatalogSnapshot: published courses only, unless the
// caller is an admin.

[GenerateSerializer, Immutable, Alias("catalog.course-summary")]
public sealed record CourseSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Description,
    [property: Id(3)] int LessonCount);

[GenerateSerializer, Immutable, Alias("catalog.course-lesson")]
public sealed record CourseLesson(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Title,
    [property: Id(2)] int DurationMinutes,
    [property: Id(3)] int Order,
    [property: Id(4)] bool FreePreview,
    [property: Id(5)] bool HasMedia);

[GenerateSerializer, Immutable, Alias("catalog.course")]
public sealed record Course(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Description,
    [property: Id(3)] IReadOnlyList<CourseLesson> Lessons);

[GenerateSerializer, Immutable, Alias("catalog.lesson")]
public sealed record Lesson(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CourseId,
    [property: Id(2)] string Title,
    [property: Id(3)] int DurationMinutes,
    [property: Id(4)] int Order,
    [property: Id(5)] bool FreePreview,
    [property: Id(6)] bool HasMedia);
