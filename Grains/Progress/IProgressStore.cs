namespace Learning.Progress;

/// <summary>
/// The progress table (read model): one row per user and lesson, written behind by the user's grain. Writes are
/// idempotent upserts that keep the newer record (by <see cref="LessonProgress.UpdatedAt"/>, then
/// <see cref="LessonProgress.Revision"/>), so a repeated or late write never replaces a newer one.
/// </summary>
public interface IProgressStore
{
    Task<LessonProgress?> FindAsync(Guid userId, Guid lessonId, CancellationToken cancellationToken = default);

    /// <summary>The user's rows, most recently changed first; only one course's with <paramref name="courseId"/>.</summary>
    Task<IReadOnlyList<LessonProgress>> ListAsync(Guid userId, Guid? courseId, CancellationToken cancellationToken = default);

    Task WriteAsync(Guid userId, IReadOnlyCollection<LessonProgress> progress, CancellationToken cancellationToken = default);
}
