using Learning.Catalog;

namespace Learning.Progress;

/// <summary>What the progress routes show, computed from stored progress and the current catalog.</summary>
public static class ProgressViews
{
    public static LessonProgressView View(LessonProgress progress) =>
        new(progress.LessonId, progress.CourseId,
            (int)Math.Floor(Math.Max(0, progress.PositionSeconds)),
            (int)Math.Round(progress.WatchedSeconds, MidpointRounding.AwayFromZero),
            progress.Completed, progress.CompletedAt, progress.UpdatedAt);

    /// <summary>
    /// One row per course the caller may see and has progress in (by the catalog's current lessons, so a lesson moved or
    /// deleted since counts where it is now, or not at all), the most recently watched course first. The next lesson is
    /// the first in order not completed; null once all are.
    /// </summary>
    public static IReadOnlyList<CourseProgressView> Courses(CatalogSnapshot catalog, bool isAdmin, IEnumerable<LessonProgress> progress)
    {
        var byLesson = new Dictionary<Guid, LessonProgress>();
        foreach (var p in progress)
        {
            if (!p.IsEmpty && catalog.FindVisibleLesson(p.LessonId, isAdmin) is not null)
            {
                byLesson[p.LessonId] = p;
            }
        }

        return [.. byLesson.Values
            .GroupBy(p => catalog.FindLesson(p.LessonId)!.CourseId)
            .Select(g => (Latest: g.Max(p => p.UpdatedAt), View: Course(catalog.LessonsOf(g.Key), g.Key, byLesson)))
            .OrderByDescending(c => c.Latest)
            .ThenBy(c => c.View.CourseId)
            .Select(c => c.View)];
    }

    private static CourseProgressView Course(IReadOnlyList<CatalogLesson> lessons, Guid courseId, Dictionary<Guid, LessonProgress> byLesson)
    {
        var completed = lessons.Count(l => byLesson.GetValueOrDefault(l.Id)?.Completed == true);
        var next = lessons.FirstOrDefault(l => byLesson.GetValueOrDefault(l.Id)?.Completed != true);
        var percent = lessons.Count == 0 ? 0 : (int)Math.Floor(100.0 * completed / lessons.Count);
        return new CourseProgressView(courseId, completed, lessons.Count, percent, next?.Id);
    }

    /// <summary>
    /// What the grain answers: the stored rows with the grain's own newer, not yet written records laid over them, most
    /// recently changed first.
    /// </summary>
    public static IReadOnlyList<LessonProgress> Overlay(IEnumerable<LessonProgress> stored, IEnumerable<LessonProgress> held)
    {
        var merged = stored.ToDictionary(p => p.LessonId);
        foreach (var p in held)
        {
            if (!p.IsEmpty && p.IsNewerThan(merged.GetValueOrDefault(p.LessonId)))
            {
                merged[p.LessonId] = p;
            }
        }

        return [.. merged.Values.OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.LessonId)];
    }
}
