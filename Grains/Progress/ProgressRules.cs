using System.Collections.Immutable;
using Learning.Playback;

namespace Learning.Progress;

/// <summary>
/// How playback turns into learning progress. A beat (or the end) that credits <c>c</c> seconds of watch time at
/// position <c>p</c> marks <c>[p − c, p]</c> as watched. The credit is the session's, already capped by
/// <see cref="PlaybackRules.CreditCap"/> (the wall clock), so seeking to the end marks only the seconds that really
/// passed and never completes a lesson, and fake beats gain nothing. Watched spans are merged: replays, seeks back and
/// two devices taking over from each other count each second of the lesson once.
/// </summary>
public static class ProgressRules
{
    /// <summary>Completed once this share of the lesson was watched; completion never reverts.</summary>
    public const double CompletionShare = 0.9;

    /// <summary>
    /// Most spans kept per lesson. A client seeking all over the lesson could otherwise grow the list without bound; past
    /// this the shortest span is dropped, which can only under-credit, never complete a lesson that was not watched.
    /// </summary>
    public const int MaxSpans = 64;

    public static LessonProgress New(Guid lessonId, Guid courseId, int lessonSeconds) =>
        new(lessonId, courseId, lessonSeconds, 0, 0, [], 0, null, DateTimeOffset.MinValue, 0);

    /// <summary>
    /// Records a beat: the position is the new resume position, and <paramref name="credit"/> seconds before it were
    /// watched. Unchanged progress (same position, nothing credited) is returned as is, so nothing needs storing.
    /// </summary>
    public static LessonProgress Record(LessonProgress progress, double position, double credit, int lessonSeconds, DateTimeOffset now)
    {
        var length = Math.Max(0, lessonSeconds);
        var watched = progress.Watched;
        var furthest = progress.FurthestSeconds;
        if (credit > 0 && double.IsFinite(credit))
        {
            var end = Math.Clamp(position, 0, length);
            var start = Math.Clamp(position - credit, 0, length);
            if (end > start)
            {
                watched = Merge(watched, new WatchedSpan(start, end));
                furthest = Math.Max(furthest, end);
            }
        }

        if (position == progress.PositionSeconds && watched == progress.Watched && length == progress.LessonSeconds)
        {
            return progress;
        }

        var watchedSeconds = Total(watched);
        return progress with
        {
            LessonSeconds = length,
            PositionSeconds = position,
            FurthestSeconds = furthest,
            Watched = watched,
            WatchedSeconds = watchedSeconds,
            CompletedAt = progress.CompletedAt ?? (IsComplete(watchedSeconds, length) ? now : null),
            UpdatedAt = now,
            Revision = progress.Revision + 1,
        };
    }

    public static bool IsComplete(double watchedSeconds, int lessonSeconds) =>
        lessonSeconds > 0 && watchedSeconds >= CompletionShare * lessonSeconds;

    /// <summary>Where a new session of the lesson starts: the last position, or 0 for a new or completed lesson.</summary>
    public static int ResumeAt(LessonProgress? progress) =>
        progress is null || progress.Completed ? 0 : (int)Math.Floor(Math.Max(0, progress.PositionSeconds));

    /// <summary>Adds a span to sorted, disjoint spans, joining every span it overlaps or touches.</summary>
    public static ImmutableArray<WatchedSpan> Merge(ImmutableArray<WatchedSpan> spans, WatchedSpan added)
    {
        // The usual beat extends the last span (playback moves forward); that case allocates one small array.
        if (spans.Length > 0 && spans[^1].Start <= added.Start)
        {
            var last = spans[^1];
            if (added.Start <= last.End)
            {
                return added.End <= last.End ? spans : spans.SetItem(spans.Length - 1, last with { End = added.End });
            }

            return Bounded(spans.Add(added));
        }

        var builder = ImmutableArray.CreateBuilder<WatchedSpan>(spans.Length + 1);
        var pending = added;
        var placed = false;
        foreach (var span in spans)
        {
            if (span.End < pending.Start)
            {
                builder.Add(span);
            }
            else if (pending.End < span.Start)
            {
                if (!placed)
                {
                    builder.Add(pending);
                    placed = true;
                }

                builder.Add(span);
            }
            else
            {
                pending = new WatchedSpan(Math.Min(span.Start, pending.Start), Math.Max(span.End, pending.End));
            }
        }

        if (!placed)
        {
            builder.Add(pending);
        }

        return Bounded(builder.ToImmutable());
    }

    public static double Total(ImmutableArray<WatchedSpan> spans)
    {
        var total = 0.0;
        foreach (var span in spans)
        {
            total += span.Length;
        }

        return total;
    }

    private static ImmutableArray<WatchedSpan> Bounded(ImmutableArray<WatchedSpan> spans)
    {
        while (spans.Length > MaxSpans)
        {
            var shortest = 0;
            for (var i = 1; i < spans.Length; i++)
            {
                if (spans[i].Length < spans[shortest].Length)
                {
                    shortest = i;
                }
            }

            spans = spans.RemoveAt(shortest);
        }

        return spans;
    }
}
