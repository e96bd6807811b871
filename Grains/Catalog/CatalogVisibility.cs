namespace Learning.Catalog;

/// <summary>
/// What the public catalog shows: lessons of unpublished courses exist only for admins, on every public route and
/// on start. Ids arrive as the client sent them; a malformed id is simply not found.
/// </summary>
public static class CatalogVisibility
{
    public static bool IsVisible(this CatalogSnapshot catalog, CatalogCourse course, bool isAdmin) =>
        isAdmin || course.Published;

    /// <summary>The lesson when it exists and the caller may see it.</summary>
    public static CatalogLesson? FindVisibleLesson(this CatalogSnapshot catalog, Guid lessonId, bool isAdmin) =>
        catalog.FindLesson(lessonId) is { } lesson
        && catalog.FindCourse(lesson.CourseId) is { } course
        && catalog.IsVisible(course, isAdmin)
            ? lesson
            : null;

    public static IReadOnlyList<CourseSummary> ListCourses(this CatalogSnapshot catalog, bool isAdmin) =>
        [.. catalog.Courses
            .Where(c => catalog.IsVisible(c, isAdmin))
            .Select(c => new CourseSummary(c.Id, c.Title, c.Description, catalog.LessonsOf(c.Id).Length))];

    public static Course? FindCourse(this CatalogSnapshot catalog, string id, bool isAdmin, CatalogSettings settings) =>
        Guid.TryParse(id, out var key) && catalog.FindCourse(key) is { } course && catalog.IsVisible(course, isAdmin)
            ? new Course(course.Id, course.Title, course.Description, [.. catalog.LessonsOf(course.Id)
                .Select(l => new CourseLesson(l.Id, l.Title, l.DurationMinutes, l.Order, l.FreePreview, settings.HasMedia(l)))])
            : null;

    public static Lesson? FindLesson(this CatalogSnapshot catalog, string id, bool isAdmin, CatalogSettings settings) =>
        Guid.TryParse(id, out var key) && catalog.FindVisibleLesson(key, isAdmin) is { } l
            ? new Lesson(l.Id, l.CourseId, l.Title, l.DurationMinutes, l.Order, l.FreePreview, settings.HasMedia(l))
            : null;
}
