using Learning.Catalog;

namespace Learning.Api.Catalog;

// What the catalog management routes answer: the stored catalog as operators edit it, unpublished courses and
// media facts included. Lesson files are named by the server and never shown.

public sealed record AdminCourse(
    Guid Id, string Title, string Description, bool Published, int LessonCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AdminCourse From(CatalogCourse course, CatalogSnapshot snapshot) =>
        new(course.Id, course.Title, course.Description, course.Published, snapshot.LessonsOf(course.Id).Length,
            course.CreatedAt, course.UpdatedAt);
}

public sealed record AdminCourseDetail(
    Guid Id, string Title, string Description, bool Published, int LessonCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<AdminLesson> Lessons)
{
    public static AdminCourseDetail From(CatalogCourse course, CatalogSnapshot snapshot)
    {
        var lessons = snapshot.LessonsOf(course.Id);
        return new(course.Id, course.Title, course.Description, course.Published, lessons.Length, course.CreatedAt, course.UpdatedAt,
            [.. lessons.Select(AdminLesson.From)]);
    }
}

/// <summary><c>has_media</c> here is whether a file was uploaded; placeholders do not count.</summary>
public sealed record AdminLesson(
    Guid Id, Guid CourseId, string Title, int DurationMinutes, int Order, bool FreePreview, bool HasMedia, AdminLessonMedia? Media,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AdminLesson From(CatalogLesson lesson) =>
        new(lesson.Id, lesson.CourseId, lesson.Title, lesson.DurationMinutes, lesson.Order, lesson.FreePreview,
            lesson.Media is not null, lesson.Media is { } media ? AdminLessonMedia.From(media) : null, lesson.CreatedAt, lesson.UpdatedAt);
}

/// <summary>The uploaded file: <c>duration_seconds</c> is what the container states, null when it states nothing.</summary>
public sealed record AdminLessonMedia(string ContentType, long Bytes, string Sha256, double? DurationSeconds, DateTimeOffset UploadedAt)
{
    public static AdminLessonMedia From(LessonMedia media) =>
        new(media.ContentType, media.Bytes, media.Sha256, media.DurationSeconds, media.UploadedAt);
}
