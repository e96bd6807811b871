using Learning.Accounts;
using Learning.Catalog;
using Learning.Common;
using Learning.Playback;
using Learning.Progress;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Learning.Users;

/// <summary>
/// Learning progress. Beats update it in memory (a merge into a short list: no storage write and no grain call per
/// beat); it is written behind to the progress store with everything else the grain publishes: when a session ends,
/// on the heartbeat flush, on deactivation, and on the next activation after a crash. The grain holds only lessons
/// with an open session and records not yet written (<see cref="ProgressState"/>).
/// </summary>
public sealed partial class UserGrain : IUserProgressGrain
{
    private IProgressStore? _progressStore;

    // Resolved here rather than in the constructor, so the feature stays in this file.
    private IProgressStore ProgressStore => _progressStore ??= ServiceProvider.GetRequiredService<IProgressStore>();

    public async Task<Result<IReadOnlyList<LessonProgressView>>> ListProgress(Caller caller, Guid? courseId)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        var stored = await ProgressStore.ListAsync(UserId, courseId);
        var held = State.Progress.Lessons.Select(h => h.Progress).Where(p => courseId is null || p.CourseId == courseId);
        return Result.Of<IReadOnlyList<LessonProgressView>>([.. ProgressViews.Overlay(stored, held).Select(ProgressViews.View)]);
    }

    public async Task<Result<IReadOnlyList<CourseProgressView>>> ListCourseProgress(Caller caller)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        var stored = await ProgressStore.ListAsync(UserId, courseId: null);
        var progress = ProgressViews.Overlay(stored, State.Progress.Lessons.Select(h => h.Progress));
        return Result.Of(ProgressViews.Courses(await catalog.GetAsync(), State.Account?.Role == Role.Admin, progress));
    }

    /// <summary>
    /// Called when a session of <paramref name="lesson"/> starts: holds the lesson's progress (one read of the store
    /// unless already held) for the session's beats to merge into, and answers where to resume.
    /// </summary>
    private async Task<int> OpenProgressAsync(CatalogLesson lesson)
    {
        if (State.Progress.Lessons.Find(h => h.Progress.LessonId == lesson.Id) is { } held)
        {
            return ProgressRules.ResumeAt(held.Progress);
        }

        var stored = await ProgressStore.FindAsync(UserId, lesson.Id);
        var progress = stored ?? ProgressRules.New(lesson.Id, lesson.CourseId, LessonLength.Seconds(lesson));
        State.Progress = State.Progress with { Lessons = State.Progress.Lessons.Add(new HeldProgress(progress, Written: true)) };
        return ProgressRules.ResumeAt(stored);
    }

    /// <summary>
    /// A beat or the end moved <paramref name="before"/> to <paramref name="after"/>: the credit the playback rules gave
    /// (capped by the wall clock) marks the seconds before the new position as watched.
    /// </summary>
    private void RecordProgress(PlaybackSession before, PlaybackSession after, DateTimeOffset now)
    {
        var lessons = State.Progress.Lessons;
        var index = lessons.FindIndex(h => h.Progress.LessonId == after.LessonId);
        if (index < 0)
        {
            // Only a session started before progress existed has nothing held; it is not worth a catalog read per beat.
            return;
        }

        var held = lessons[index];
        var credit = after.WatchTimeSeconds - before.WatchTimeSeconds;
        var recorded = ProgressRules.Record(held.Progress, after.Position, credit, after.LessonSeconds, now);
        if (!ReferenceEquals(recorded, held.Progress))
        {
            State.Progress = State.Progress with { Lessons = lessons.SetItem(index, new HeldProgress(recorded, Written: false)) };
        }
    }

    /// <summary>
    /// Writes held records the store does not have yet, then lets go of lessons without an open session. Best effort:
    /// playback must not fail because the progress table is down; unwritten records stay held (and stored with the
    /// grain's state) and are written by the next publish.
    /// </summary>
    private async Task WriteProgressBehindAsync()
    {
        var lessons = State.Progress.Lessons;
        if (lessons.IsEmpty)
        {
            return;
        }

        var unwritten = lessons.Where(h => !h.Written).Select(h => h.Progress).ToList();
        if (unwritten.Count > 0)
        {
            try
            {
                await ProgressStore.WriteAsync(UserId, unwritten);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Writing learning progress of user {UserId} failed; the next publish retries", UserId);
                return;
            }
        }

        var open = State.Sessions.Where(s => !s.IsEnded).Select(s => s.LessonId).ToHashSet();
        if (unwritten.Count == 0 && lessons.All(h => open.Contains(h.Progress.LessonId)))
        {
            return;
        }

        // Only the records written above count as written: the list is read again in case it changed meanwhile.
        var written = unwritten.ToHashSet(ReferenceEqualityComparer.Instance);
        State.Progress = State.Progress with
        {
            Lessons = [.. State.Progress.Lessons
                .Select(h => h.Written || !written.Contains(h.Progress) ? h : h with { Written = true })
                .Where(h => !h.Written || open.Contains(h.Progress.LessonId))],
        };
    }
}
