namespace Learning.Catalog;

// What operators send to change the catalog. Field rules (lengths, ranges, unique order) live in the grains'
// CatalogRules; null in a patch means "leave as is".

[GenerateSerializer, Immutable, Alias("catalog.new-course")]
public sealed record NewCourse(
    [property: Id(0)] string Title,
    [property: Id(1)] string Description,
    [property: Id(2)] bool Published);

[GenerateSerializer, Immutable, Alias("catalog.course-patch")]
public sealed record CoursePatch(
    [property: Id(0)] string? Title,
    [property: Id(1)] string? Description,
    [property: Id(2)] bool? Published);

[GenerateSerializer, Immutable, Alias("catalog.new-lesson")]
public sealed record NewLesson(
    [property: Id(0)] string Title,
    [property: Id(1)] int DurationMinutes,
    [property: Id(2)] int Order,
    [property: Id(3)] bool FreePreview);

[GenerateSerializer, Immutable, Alias("catalog.lesson-patch")]
public sealed record LessonPatch(
    [property: Id(0)] string? Title,
    [property: Id(1)] int? DurationMinutes,
    [property: Id(2)] int? Order,
    [property: Id(3)] bool? FreePreview);

/// <summary>The lesson after an upload; <see cref="Previous"/> is the file it replaced (null on a first upload).</summary>
[GenerateSerializer, Immutable, Alias("catalog.media-stored")]
public sealed record MediaStored(
    [property: Id(0)] CatalogLesson Lesson,
    [property: Id(1)] LessonMedia? Previous);
