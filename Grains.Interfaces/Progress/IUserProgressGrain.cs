using Learning.Common;

namespace Learning.Progress;

/// <summary>
/// The learning-progress part of a user's grain. Reads go through the grain, not straight to the progress table: it
/// checks the caller's token family and adds what it has not written behind yet, so a client sees its last beat.
/// </summary>
[Alias("progress.IUserProgressGrain")]
public interface IUserProgressGrain : IGrainWithGuidKey
{
    /// <summary>The caller's lessons with progress, most recently changed first; only one course's with <paramref name="courseId"/>.</summary>
    [Alias("list-progress")]
    Task<Result<IReadOnlyList<LessonProgressView>>> ListProgress(Caller caller, Guid? courseId);

    /// <summary>Per visible course the caller has progress in: completed lessons, percent and the next lesson to watch.</summary>
    [Alias("course-progress")]
    Task<Result<IReadOnlyList<CourseProgressView>>> ListCourseProgress(Caller caller);
}
