using System.Collections.Concurrent;

namespace Learning.Progress;

/// <summary>The progress table of the embedded default, in this process's memory.</summary>
public sealed class InMemoryProgressStore : IProgressStore
{
    private readonly ConcurrentDictionary<(Guid UserId, Guid LessonId), LessonProgress> _rows = new();

    public Task<LessonProgress?> FindAsync(Guid userId, Guid lessonId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.GetValueOrDefault((userId, lessonId)));

    public Task<IReadOnlyList<LessonProgress>> ListAsync(Guid userId, Guid? courseId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LessonProgress>>([.. _rows
            .Where(r => r.Key.UserId == userId && (courseId is null || r.Value.CourseId == courseId))
            .Select(r => r.Value)
            .OrderByDescending(p => p.UpdatedAt)
            .ThenBy(p => p.LessonId)]);

    public Task WriteAsync(Guid userId, IReadOnlyCollection<LessonProgress> progress, CancellationToken cancellationToken = default)
    {
        foreach (var p in progress.Where(p => !p.IsEmpty))
        {
            _rows.AddOrUpdate((userId, p.LessonId), p, (_, stored) => p.IsNewerThan(stored) ? p : stored);
        }

        return Task.CompletedTask;
    }
}
