namespace Learning.Catalog;

/// <summary>
/// How long a lesson is: what its uploaded file states, when it states a usable duration, otherwise what the operator
/// entered. Minutes shown to clients are the file's seconds rounded up, so a started lesson never looks shorter
/// than it plays.
/// </summary>
public static class LessonLength
{
    /// <summary>The longest lesson, in minutes, an operator may enter (<c>duration_minutes</c> 1–600).</summary>
    public const int MaxMinutes = 600;

    /// <summary>The seconds that bound positions and completion: the file's exact length rounded up, or the entered minutes.</summary>
    public static int Seconds(CatalogLesson lesson) =>
        StatedSeconds(lesson.Media) is { } stated ? (int)Math.Ceiling(stated) : lesson.DurationMinutes * 60;

    /// <summary>The minutes a file of <paramref name="seconds"/> lasts, rounded up, at least 1.</summary>
    public static int Minutes(double seconds) => Math.Max(1, (int)Math.Ceiling(seconds / 60));

    /// <summary>
    /// The file's duration when it states a usable one: positive, finite and no longer than a lesson may be (a
    /// container may state 0, or garbage that would overflow the arithmetic).
    /// </summary>
    public static double? StatedSeconds(LessonMedia? media) =>
        media?.DurationSeconds is { } seconds && double.IsFinite(seconds) && seconds > 0 && seconds <= MaxMinutes * 60 ? seconds : null;
}
