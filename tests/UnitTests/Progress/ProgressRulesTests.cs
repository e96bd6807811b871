using System.Collections.Immutable;
using Learning.Catalog;
using Learning.Playback;
using Learning.Progress;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Progress;

public sealed class ProgressRulesTests
{
    private const int LessonSeconds = 600;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly Guid _lessonId = Guid.NewGuid();
    private readonly Guid _courseId = Guid.NewGuid();

    private DateTimeOffset Now => _clock.GetUtcNow();

    // --- Merge ---

    [Fact]
    public void Overlapping_and_touching_spans_merge_into_one()
    {
        var spans = Spans((0, 10), (20, 30));

        AssertSpans(Spans((0, 30)), ProgressRules.Merge(spans, new WatchedSpan(5, 25)));
        AssertSpans(Spans((0, 10), (20, 40)), ProgressRules.Merge(spans, new WatchedSpan(30, 40)));
        AssertSpans(Spans((0, 30)), ProgressRules.Merge(spans, new WatchedSpan(10, 20)));
    }

    [Fact]
    public void A_span_before_or_between_others_keeps_the_list_sorted_and_disjoint()
    {
        var spans = Spans((10, 20), (40, 50));

        AssertSpans(Spans((0, 5), (10, 20), (40, 50)), ProgressRules.Merge(spans, new WatchedSpan(0, 5)));
        AssertSpans(Spans((10, 20), (25, 30), (40, 50)), ProgressRules.Merge(spans, new WatchedSpan(25, 30)));
        AssertSpans(Spans((5, 60)), ProgressRules.Merge(spans, new WatchedSpan(5, 60)));
    }

    [Fact]
    public void A_span_already_covered_changes_nothing()
    {
        var spans = Spans((0, 100));

        var merged = ProgressRules.Merge(spans, new WatchedSpan(30, 60));

        AssertSpans(spans, merged);
        Assert.Equal(100, ProgressRules.Total(merged));
    }

    [Fact]
    public void Past_the_span_limit_the_shortest_span_is_dropped_so_the_list_stays_bounded_and_never_over_credits()
    {
        var spans = ImmutableArray<WatchedSpan>.Empty;
        for (var i = 0; i < ProgressRules.MaxSpans; i++)
        {
            spans = ProgressRules.Merge(spans, new WatchedSpan(i * 10, i * 10 + 2));
        }

        var merged = ProgressRules.Merge(spans, new WatchedSpan(5000, 5001));

        Assert.Equal(ProgressRules.MaxSpans, merged.Length);
        Assert.DoesNotContain(new WatchedSpan(5000, 5001), merged);
        Assert.Equal(ProgressRules.MaxSpans * 2, ProgressRules.Total(merged));
    }

    // --- Playback credited through PlaybackRules (the wall-clock cap) ---

    [Fact]
    public void Watching_in_beats_to_ninety_percent_completes_the_lesson_once()
    {
        var (session, progress) = Start();

        // 35 beats of 15 s: 525 s, not yet 90 % (540 s).
        (session, progress) = Play(session, progress, beats: 35, step: 15);
        Assert.Equal(525, progress.WatchedSeconds, 3);
        Assert.False(progress.Completed);

        (session, progress) = Play(session, progress, beats: 1, step: 15);
        Assert.Equal(540, progress.WatchedSeconds, 3);
        Assert.Equal(Now, progress.CompletedAt);
        Assert.Equal(540, progress.FurthestSeconds, 3);
        Assert.Single(progress.Watched);
    }

    [Fact]
    public void Completion_never_reverts()
    {
        var (session, progress) = Start();
        (session, progress) = Play(session, progress, beats: 40, step: 15);
        var completedAt = progress.CompletedAt;

        _clock.Advance(TimeSpan.FromSeconds(15));
        var beaten = PlaybackRules.Beat(session, 0, Now);
        progress = ProgressRules.Record(progress, beaten.Position, beaten.WatchTimeSeconds - session.WatchTimeSeconds, LessonSeconds, Now);

        Assert.NotNull(completedAt);
        Assert.Equal(completedAt, progress.CompletedAt);
        Assert.Equal(0, ProgressRules.ResumeAt(progress));
    }

    [Fact]
    public void Seeking_to_the_end_credits_only_the_elapsed_time_and_does_not_complete()
    {
        var (session, progress) = Start();

        (session, progress) = Play(session, progress, beats: 1, step: LessonSeconds);

        Assert.Equal(15 + PlaybackRules.CreditSlack.TotalSeconds, progress.WatchedSeconds, 3);
        AssertSpans(Spans((LessonSeconds - 17, LessonSeconds)), progress.Watched);
        Assert.False(progress.Completed);
        Assert.Equal(LessonSeconds, progress.PositionSeconds);
    }

    [Fact]
    public void A_beat_that_claims_more_than_the_elapsed_time_is_credited_only_the_elapsed_time()
    {
        var (session, progress) = Start();
        (session, progress) = Play(session, progress, beats: 1, step: 15);

        // 5 s later the client claims 100 s of playback.
        _clock.Advance(TimeSpan.FromSeconds(5));
        var beaten = PlaybackRules.Beat(session, 115, Now);
        progress = ProgressRules.Record(progress, beaten.Position, beaten.WatchTimeSeconds - session.WatchTimeSeconds, LessonSeconds, Now);

        Assert.True(progress.WatchedSeconds <= 15 + 5 + PlaybackRules.CreditSlack.TotalSeconds);
        Assert.Equal(115, progress.Watched[^1].End);
    }

    [Fact]
    public void Replaying_a_part_counts_its_seconds_once()
    {
        var (session, progress) = Start();
        (session, progress) = Play(session, progress, beats: 4, step: 15);

        // Seek back to 0 and play the same minute again.
        _clock.Advance(TimeSpan.FromSeconds(15));
        var back = PlaybackRules.Beat(session, 0, Now);
        progress = ProgressRules.Record(progress, back.Position, back.WatchTimeSeconds - session.WatchTimeSeconds, LessonSeconds, Now);
        Assert.Equal(0, ProgressRules.ResumeAt(progress));
        (back, progress) = Play(back, progress, beats: 4, step: 15);

        Assert.Equal(60, progress.WatchedSeconds, 3);
        Assert.True(back.WatchTimeSeconds >= 120, "watch time counts the replay; watched seconds do not");
        Assert.Equal(60, ProgressRules.ResumeAt(progress));
    }

    [Fact]
    public void Seeking_forward_and_back_leaves_gaps_that_later_playback_fills()
    {
        var (session, progress) = Start();
        (session, progress) = Play(session, progress, beats: 2, step: 15);

        // Jump to 300 (the jump credits the 15 s that passed and the 2 s allowance, before 300), play a minute, jump back to 30 and play on.
        (session, progress) = Play(session, progress, beats: 1, step: 270);
        (session, progress) = Play(session, progress, beats: 4, step: 15);
        AssertSpans(Spans((0, 30), (283, 360)), progress.Watched);

        _clock.Advance(TimeSpan.FromSeconds(15));
        var back = PlaybackRules.Beat(session, 30, Now);
        progress = ProgressRules.Record(progress, back.Position, back.WatchTimeSeconds - session.WatchTimeSeconds, LessonSeconds, Now);
        (_, progress) = Play(back, progress, beats: 17, step: 15);

        AssertSpans(Spans((0, 360)), progress.Watched);
        Assert.Equal(360, progress.FurthestSeconds, 3);
        Assert.Equal(285, ProgressRules.ResumeAt(progress));
    }

    [Fact]
    public void Two_sessions_playing_the_same_part_do_not_double_count()
    {
        var (first, progress) = Start();
        (_, progress) = Play(first, progress, beats: 10, step: 15);

        // Another device takes over and plays from 60 to 210: the overlap (60–150) counts once.
        var second = Session() with { Position = 60 };
        (_, progress) = Play(second, progress, beats: 10, step: 15);

        AssertSpans(Spans((0, 210)), progress.Watched);
        Assert.Equal(210, progress.WatchedSeconds, 3);
    }

    [Fact]
    public void Positions_past_the_end_are_clipped_to_the_lesson()
    {
        var progress = ProgressRules.New(_lessonId, _courseId, LessonSeconds);

        progress = ProgressRules.Record(progress, LessonSeconds + 5, 15, LessonSeconds, Now);

        AssertSpans(Spans((LessonSeconds - 10, LessonSeconds)), progress.Watched);
        Assert.Equal(LessonSeconds, progress.FurthestSeconds);
    }

    [Fact]
    public void A_beat_that_changes_nothing_returns_the_same_record_and_each_change_moves_the_revision()
    {
        var progress = ProgressRules.New(_lessonId, _courseId, LessonSeconds);
        Assert.True(progress.IsEmpty);

        Assert.Same(progress, ProgressRules.Record(progress, 0, 0, LessonSeconds, Now));

        var moved = ProgressRules.Record(progress, 10, 10, LessonSeconds, Now);
        Assert.Equal(1, moved.Revision);
        Assert.Equal(Now, moved.UpdatedAt);
        Assert.True(moved.IsNewerThan(progress));
        Assert.False(progress.IsNewerThan(moved));
        Assert.Same(moved, ProgressRules.Record(moved, 10, 0, LessonSeconds, Now));
    }

    [Fact]
    public void A_lesson_without_a_length_never_completes()
    {
        Assert.False(ProgressRules.IsComplete(100, 0));
        Assert.True(ProgressRules.IsComplete(90, 100));
        Assert.False(ProgressRules.IsComplete(89.9, 100));
    }

    [Fact]
    public void Resume_is_zero_for_a_new_or_completed_lesson_and_the_whole_second_of_the_position_otherwise()
    {
        Assert.Equal(0, ProgressRules.ResumeAt(null));
        var progress = ProgressRules.Record(ProgressRules.New(_lessonId, _courseId, LessonSeconds), 42.7, 10, LessonSeconds, Now);
        Assert.Equal(42, ProgressRules.ResumeAt(progress));
        Assert.Equal(0, ProgressRules.ResumeAt(progress with { CompletedAt = Now }));
    }

    // --- Views ---

    [Fact]
    public void The_course_summary_counts_completed_lessons_and_names_the_first_one_not_completed()
    {
        var course = new CatalogCourse(_courseId, "Course", "", Published: true, Now, Now);
        var hidden = new CatalogCourse(Guid.NewGuid(), "Hidden", "", Published: false, Now, Now);
        var lessons = Enumerable.Range(1, 4).Select(i => Lesson(_courseId, i)).Append(Lesson(hidden.Id, 1)).ToImmutableArray();
        var catalog = new CatalogSnapshot(1, [course, hidden], lessons);
        var done = ProgressRules.New(lessons[0].Id, _courseId, 60) with { CompletedAt = Now, Revision = 3, UpdatedAt = Now };
        var started = ProgressRules.New(lessons[1].Id, _courseId, 60) with { PositionSeconds = 30, Revision = 1, UpdatedAt = Now };
        var doneLater = ProgressRules.New(lessons[2].Id, _courseId, 60) with { CompletedAt = Now, Revision = 2, UpdatedAt = Now };
        var inHidden = ProgressRules.New(lessons[4].Id, hidden.Id, 60) with { Revision = 1, UpdatedAt = Now };

        var summary = Assert.Single(ProgressViews.Courses(catalog, isAdmin: false, [done, started, doneLater, inHidden]));

        Assert.Equal(new CourseProgressView(_courseId, 2, 4, 50, lessons[1].Id), summary);
        Assert.Equal(2, ProgressViews.Courses(catalog, isAdmin: true, [done, inHidden]).Count);
        var allDone = ProgressViews.Courses(catalog, false, lessons.Take(4).Select(l => done with { LessonId = l.Id }));
        Assert.Equal(new CourseProgressView(_courseId, 4, 4, 100, null), Assert.Single(allDone));
    }

    [Fact]
    public void The_grain_lays_its_newer_unwritten_records_over_the_stored_rows()
    {
        var stored = ProgressRules.Record(ProgressRules.New(_lessonId, _courseId, LessonSeconds), 10, 10, LessonSeconds, Now);
        _clock.Advance(TimeSpan.FromSeconds(15));
        var held = ProgressRules.Record(stored, 25, 15, LessonSeconds, Now);
        var other = ProgressRules.New(Guid.NewGuid(), _courseId, LessonSeconds);

        var merged = ProgressViews.Overlay([stored], [held, other]);

        Assert.Equal(new[] { held }, merged);
        Assert.Equal(new[] { held }, ProgressViews.Overlay([held], [stored]));
        var view = ProgressViews.View(held);
        Assert.Equal((25, 25, false), (view.PositionSeconds, view.WatchedSeconds, view.Completed));
    }

    private (PlaybackSession Session, LessonProgress Progress) Start() => (Session(), ProgressRules.New(_lessonId, _courseId, LessonSeconds));

    /// <summary>Beats every 15 s as a client does, moving the position by <paramref name="step"/> each time.</summary>
    private (PlaybackSession, LessonProgress) Play(PlaybackSession session, LessonProgress progress, int beats, double step)
    {
        for (var i = 0; i < beats; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(15));
            var beaten = PlaybackRules.Beat(session, Math.Min(session.Position + step, LessonSeconds), Now);
            progress = ProgressRules.Record(progress, beaten.Position, beaten.WatchTimeSeconds - session.WatchTimeSeconds, beaten.LessonSeconds, Now);
            session = beaten;
        }

        return (session, progress);
    }

    private PlaybackSession Session() =>
        new(Id: Guid.NewGuid(), TokenHash: Guid.NewGuid().ToString("N"), DeviceRecordId: Guid.NewGuid(), DeviceId: "web",
            DeviceName: "Web", LessonId: _lessonId, LessonTitle: "Lesson", LessonSeconds: LessonSeconds,
            StartedAt: Now, ExpiresAt: Now + TimeSpan.FromHours(2), LastHeartbeat: Now, Position: 0, WatchTimeSeconds: 0,
            EndedAt: null, EndReason: null);

    private CatalogLesson Lesson(Guid courseId, int order) =>
        new(Guid.NewGuid(), courseId, $"Lesson {order}", 1, order, false, null, Now, Now);

    private static void AssertSpans(ImmutableArray<WatchedSpan> expected, ImmutableArray<WatchedSpan> actual) =>
        Assert.Equal(expected.ToArray(), actual.ToArray());

    private static ImmutableArray<WatchedSpan> Spans(params (double Start, double End)[] spans) =>
        [.. spans.Select(s => new WatchedSpan(s.Start, s.End))];
}
