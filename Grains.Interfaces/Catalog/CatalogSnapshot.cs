using System.Collections.Immutable;

namespace Learning.Catalog;

/// <summary>A course as stored: what operators edit.</summary>
[GenerateSerializer, Immutable, Alias("catalog.stored-course")]
public sealed record CatalogCourse(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Description,
    [property: Id(3)] bool Published,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt);

/// <summary>A lesson as stored. <see cref="Media"/> is null until a file is uploaded.</summary>
[GenerateSerializer, Immutable, Alias("catalog.stored-lesson")]
public sealed record CatalogLesson(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CourseId,
    [property: Id(2)] string Title,
    [property: Id(3)] int DurationMinutes,
    [property: Id(4)] int Order,
    [property: Id(5)] bool FreePreview,
    [property: Id(6)] LessonMedia? Media,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt);

/// <summary>
/// A lesson's uploaded file. <see cref="FileName"/> is unique per upload (relative to <c>Media:Root</c>), so a
/// replacement never changes the bytes behind a URL already handed out. <see cref="DurationSeconds"/> is what the
/// container states, when it does.
/// </summary>
[GenerateSerializer, Immutable, Alias("catalog.lesson-media")]
public sealed record LessonMedia(
    [property: Id(0)] string FileName,
    [property: Id(1)] string ContentType,
    [property: Id(2)] long Bytes,
    [property: Id(3)] string Sha256,
    [property: Id(4)] double? DurationSeconds,
    [property: Id(5)] DateTimeOffset UploadedAt);

/// <summary>
/// The whole catalog at one <see cref="Version"/>: every process serves reads from the newest snapshot it holds, so
/// public reads cost no storage round trip. Courses in creation order, lessons by course then order.
/// </summary>
[GenerateSerializer, Immutable, Alias("catalog.snapshot")]
public sealed record CatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableArray<CatalogCourse> Courses,
    [property: Id(2)] ImmutableArray<CatalogLesson> Lessons)
{
    public static readonly CatalogSnapshot Empty = new(0, [], []);

    // `with` must not carry the lookup built for the original's courses and lessons over to the copy.
    private CatalogSnapshot(CatalogSnapshot original)
    {
        Version = original.Version;
        Courses = original.Courses;
        Lessons = original.Lessons;
    }

    [NonSerialized]
    private Index? _index;

    private Index Lookup => _index ??= new Index(Courses, Lessons);

    public CatalogCourse? FindCourse(Guid id) => Lookup.Courses.GetValueOrDefault(id);

    public CatalogLesson? FindLesson(Guid id) => Lookup.Lessons.GetValueOrDefault(id);

    /// <summary>The course's lessons in order.</summary>
    public ImmutableArray<CatalogLesson> LessonsOf(Guid courseId) =>
        Lookup.ByCourse.TryGetValue(courseId, out var lessons) ? lessons : [];

    private sealed class Index(ImmutableArray<CatalogCourse> courses, ImmutableArray<CatalogLesson> lessons)
    {
        public readonly Dictionary<Guid, CatalogCourse> Courses = courses.ToDictionary(c => c.Id);
        public readonly Dictionary<Guid, CatalogLesson> Lessons = lessons.ToDictionary(l => l.Id);
        public readonly Dictionary<Guid, ImmutableArray<CatalogLesson>> ByCourse = lessons
            .GroupBy(l => l.CourseId)
            .ToDictionary(g => g.Key, g => g.OrderBy(l => l.Order).ToImmutableArray());
    }
}
