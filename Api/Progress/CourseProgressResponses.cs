using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Catalog;
using Learning.Progress;

namespace Learning.Api.Progress;

/// <summary><c>GET /api/courses/{id}</c> for a signed-in caller: each lesson also carries the caller's progress, or null.</summary>
public sealed record CourseWithProgress(Guid Id, string Title, string Description, IReadOnlyList<CourseLessonWithProgress> Lessons)
{
    public static CourseWithProgress Of(Course course, IReadOnlyList<LessonProgressView> progress)
    {
        var byLesson = progress.ToDictionary(p => p.LessonId);
        return new(course.Id, course.Title, course.Description, [.. course.Lessons.Select(l => new CourseLessonWithProgress(
            l.Id, l.Title, l.DurationMinutes, l.Order, l.FreePreview, l.HasMedia,
            byLesson.TryGetValue(l.Id, out var p) ? new LessonProgressBrief(p.PositionSeconds, p.Completed) : null))]);
    }
}

public sealed record CourseLessonWithProgress(
    Guid Id, string Title, int DurationMinutes, int Order, bool FreePreview, bool HasMedia, LessonProgressBrief? Progress);

public sealed record LessonProgressBrief(int PositionSeconds, bool Completed);

/// <summary>
/// The caller's progress in a course for the optional bearer of the catalog routes: null for anonymous callers and for
/// a token that is invalid, expired or of a revoked sign-in (those get the anonymous answer, never 401).
/// </summary>
public static class CourseProgressReader
{
    public static async Task<IReadOnlyList<LessonProgressView>?> ReadAsync(HttpContext http, IGrainFactory grains, Guid courseId)
    {
        if (http.Caller() is not { } caller)
        {
            return null;
        }

        var result = await grains.GetGrain<IUserGrain>(caller.UserId).ListProgress(caller, courseId);
        return result.Succeeded ? result.Value : null;
    }
}
