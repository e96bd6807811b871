using System.Collections.Immutable;
using Learning.Audit;
using Learning.Common;

namespace Learning.Catalog;

/// <summary>The admin changing the catalog and where the request came from: the user and client of every audit entry.</summary>
public sealed record CatalogActor(Guid Id, ClientInfo Client);

public abstract record CatalogDecision<T>
{
    public sealed record Refused(Failure Failure) : CatalogDecision<T>;

    /// <summary>The command asks for what already is (a patch that changes nothing): nothing to store or audit.</summary>
    public sealed record Unchanged(T Value) : CatalogDecision<T>;

    /// <summary>Store <see cref="Change"/> (with its audit entries); once stored, <see cref="Snapshot"/> is the catalog.</summary>
    public sealed record Changed(T Value, CatalogSnapshot Snapshot, CatalogChange Change) : CatalogDecision<T>;

    public static implicit operator CatalogDecision<T>(Failure failure) => new Refused(failure);
}

/// <summary>
/// The contract's catalog rules: field limits, one lesson per order number in a course, only empty courses deleted,
/// reordering as one renumbering. Each command takes the catalog as it is and answers a refusal or the next version,
/// with the change to store and its audit entries (user: the acting admin; metadata: <c>actor_id</c> and what changed).
/// </summary>
public static class CatalogRules
{
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 5000;

    private static readonly Failure CourseNotFound = new(ErrorCodes.CourseNotFound, "Course not found.");
    private static readonly Failure LessonNotFound = new(ErrorCodes.LessonNotFound, "Lesson not found.");

    /// <summary>The first stored version of a catalog: <paramref name="seed"/> (demo, the catalog served before, or empty).</summary>
    public static (CatalogSnapshot Snapshot, CatalogChange Change) Import(CatalogSnapshot seed)
    {
        var change = new CatalogChange(ExpectedVersion: 0, Version: 1, seed.Courses, [], seed.Lessons, [], []);
        return (CatalogSnapshot.Empty.Apply(change), change);
    }

    public static CatalogDecision<CatalogCourse> CreateCourse(CatalogSnapshot catalog, NewCourse request, CatalogActor actor, DateTimeOffset now)
    {
        var fields = new FieldErrors();
        var title = fields.Title(request.Title);
        fields.Description(request.Description);
        if (fields.Failure is { } invalid)
        {
            return invalid;
        }

        var course = new CatalogCourse(Guid.CreateVersion7(now), title!, request.Description, request.Published, now, now);
        return Changed(course, catalog, now, courses: [course], audit: Entry(AuditActions.CourseCreate, actor, now,
            ("course_id", course.Id), ("course_title", course.Title), ("published", course.Published)));
    }

    public static CatalogDecision<CatalogCourse> UpdateCourse(
        CatalogSnapshot catalog, Guid courseId, CoursePatch patch, CatalogActor actor, DateTimeOffset now)
    {
        var fields = new FieldErrors();
        var title = patch.Title is null ? null : fields.Title(patch.Title);
        if (patch.Description is not null)
        {
            fields.Description(patch.Description);
        }

        if (fields.Failure is { } invalid)
        {
            return invalid;
        }

        if (catalog.FindCourse(courseId) is not { } course)
        {
            return CourseNotFound;
        }

        var next = course with
        {
            Title = title ?? course.Title,
            Description = patch.Description ?? course.Description,
            Published = patch.Published ?? course.Published,
        };
        var changed = ChangedFields(("title", course.Title != next.Title), ("description", course.Description != next.Description),
            ("published", course.Published != next.Published));
        if (changed is null)
        {
            return new CatalogDecision<CatalogCourse>.Unchanged(course);
        }

        next = next with { UpdatedAt = now };
        return Changed(next, catalog, now, courses: [next], audit: Entry(AuditActions.CourseUpdate, actor, now,
            ("course_id", next.Id), ("course_title", next.Title), ("fields", changed),
            ("previous_title", next.Title == course.Title ? null : course.Title), ("published", next.Published)));
    }

    /// <summary>Only a course without lessons may go: its lessons' sessions and progress would be orphaned; unpublish instead.</summary>
    public static CatalogDecision<Done> DeleteCourse(CatalogSnapshot catalog, Guid courseId, CatalogActor actor, DateTimeOffset now)
    {
        if (catalog.FindCourse(courseId) is not { } course)
        {
            return CourseNotFound;
        }

        if (!catalog.LessonsOf(courseId).IsEmpty)
        {
            return new Failure(ErrorCodes.CourseNotEmpty, "Only a course without lessons can be deleted; unpublish it instead.");
        }

        return Changed(Done.Instance, catalog, now, deletedCourses: [course.Id], audit: Entry(AuditActions.CourseDelete, actor, now,
            ("course_id", course.Id), ("course_title", course.Title)));
    }

    public static CatalogDecision<CatalogLesson> AddLesson(
        CatalogSnapshot catalog, Guid courseId, NewLesson request, CatalogActor actor, DateTimeOffset now)
    {
        var fields = new FieldErrors();
        var title = fields.Title(request.Title);
        fields.Duration(request.DurationMinutes);
        fields.Order(request.Order);
        if (fields.Failure is { } invalid)
        {
            return invalid;
        }

        if (catalog.FindCourse(courseId) is null)
        {
            return CourseNotFound;
        }

        if (OrderTaken(catalog, courseId, request.Order, exceptLesson: null) is { } taken)
        {
            return taken;
        }

        var lesson = new CatalogLesson(Guid.CreateVersion7(now), courseId, title!, request.DurationMinutes, request.Order, request.FreePreview,
            Media: null, now, now);
        return Changed(lesson, catalog, now, lessons: [lesson], audit: Entry(AuditActions.LessonCreate, actor, now,
            ("lesson_id", lesson.Id), ("lesson_title", lesson.Title), ("course_id", courseId), ("order", lesson.Order),
            ("duration_minutes", lesson.DurationMinutes), ("free_preview", lesson.FreePreview)));
    }

    public static CatalogDecision<CatalogLesson> UpdateLesson(
        CatalogSnapshot catalog, Guid lessonId, LessonPatch patch, CatalogActor actor, DateTimeOffset now)
    {
        var fields = new FieldErrors();
        var title = patch.Title is null ? null : fields.Title(patch.Title);
        if (patch.DurationMinutes is { } minutes)
        {
            fields.Duration(minutes);
        }

        if (patch.Order is { } order)
        {
            fields.Order(order);
        }

        if (fields.Failure is { } invalid)
        {
            return invalid;
        }

        if (catalog.FindLesson(lessonId) is not { } lesson)
        {
            return LessonNotFound;
        }

        if (patch.Order is { } wanted && OrderTaken(catalog, lesson.CourseId, wanted, exceptLesson: lesson.Id) is { } taken)
        {
            return taken;
        }

        var next = lesson with
        {
            Title = title ?? lesson.Title,
            DurationMinutes = patch.DurationMinutes ?? lesson.DurationMinutes,
            Order = patch.Order ?? lesson.Order,
            FreePreview = patch.FreePreview ?? lesson.FreePreview,
        };
        var changed = ChangedFields(("title", lesson.Title != next.Title), ("duration_minutes", lesson.DurationMinutes != next.DurationMinutes),
            ("order", lesson.Order != next.Order), ("free_preview", lesson.FreePreview != next.FreePreview));
        if (changed is null)
        {
            return new CatalogDecision<CatalogLesson>.Unchanged(lesson);
        }

        next = next with { UpdatedAt = now };
        return Changed(next, catalog, now, lessons: [next], audit: Entry(AuditActions.LessonUpdate, actor, now,
            ("lesson_id", next.Id), ("lesson_title", next.Title), ("course_id", next.CourseId), ("fields", changed),
            ("previous_title", next.Title == lesson.Title ? null : lesson.Title)));
    }

    /// <summary>
    /// Renumbers the course's lessons 1…n in the order given, in one change, so swapping two lessons needs no free
    /// order number. The list must name every lesson of the course exactly once. Audited as a change of the course.
    /// </summary>
    public static CatalogDecision<ImmutableArray<CatalogLesson>> ReorderLessons(
        CatalogSnapshot catalog, Guid courseId, ImmutableArray<Guid> lessonIds, CatalogActor actor, DateTimeOffset now)
    {
        if (catalog.FindCourse(courseId) is not { } course)
        {
            return CourseNotFound;
        }

        var current = catalog.LessonsOf(courseId);
        if (lessonIds.Length != current.Length || !lessonIds.ToHashSet().SetEquals(current.Select(l => l.Id)))
        {
            return Failure.Validation("lesson_ids", "Must list every lesson of the course exactly once.");
        }

        var byId = current.ToDictionary(l => l.Id);
        var moved = lessonIds.Select((id, i) => (Lesson: byId[id], Order: i + 1))
            .Where(p => p.Lesson.Order != p.Order)
            .ToDictionary(p => p.Lesson.Id, p => p.Lesson with { Order = p.Order, UpdatedAt = now });
        if (moved.Count == 0)
        {
            return new CatalogDecision<ImmutableArray<CatalogLesson>>.Unchanged(current);
        }

        var renumbered = lessonIds.Select(id => moved.GetValueOrDefault(id) ?? byId[id]).ToImmutableArray();
        return Changed(renumbered, catalog, now, lessons: [.. moved.Values], audit: Entry(AuditActions.CourseUpdate, actor, now,
            ("course_id", course.Id), ("course_title", course.Title), ("fields", "lesson_order"),
            ("lesson_ids", string.Join(',', lessonIds))));
    }

    /// <summary>Removes the lesson; its live sessions and its file are the caller's to end and remove.</summary>
    public static CatalogDecision<CatalogLesson> DeleteLesson(CatalogSnapshot catalog, Guid lessonId, CatalogActor actor, DateTimeOffset now)
    {
        if (catalog.FindLesson(lessonId) is not { } lesson)
        {
            return LessonNotFound;
        }

        return Changed(lesson, catalog, now, deletedLessons: [lesson.Id], audit: Entry(AuditActions.LessonDelete, actor, now,
            ("lesson_id", lesson.Id), ("lesson_title", lesson.Title), ("course_id", lesson.CourseId), ("file_name", lesson.Media?.FileName)));
    }

    /// <summary>Records an uploaded file; a duration the file states replaces the lesson's minutes (rounded up).</summary>
    public static CatalogDecision<MediaStored> SetLessonMedia(
        CatalogSnapshot catalog, Guid lessonId, LessonMedia media, CatalogActor actor, DateTimeOffset now)
    {
        if (catalog.FindLesson(lessonId) is not { } lesson)
        {
            return LessonNotFound;
        }

        var stated = LessonLength.StatedSeconds(media);
        var next = lesson with
        {
            Media = media,
            DurationMinutes = stated is { } seconds ? LessonLength.Minutes(seconds) : lesson.DurationMinutes,
            UpdatedAt = now,
        };
        return Changed(new MediaStored(next, lesson.Media), catalog, now, lessons: [next], audit: Entry(AuditActions.MediaUpload, actor, now,
            ("lesson_id", next.Id), ("lesson_title", next.Title), ("course_id", next.CourseId), ("file_name", media.FileName),
            ("content_type", media.ContentType), ("bytes", media.Bytes), ("sha256", media.Sha256), ("duration_seconds", stated),
            ("replaced_file_name", lesson.Media?.FileName)));
    }

    private static Failure? OrderTaken(CatalogSnapshot catalog, Guid courseId, int order, Guid? exceptLesson) =>
        catalog.LessonsOf(courseId).Any(l => l.Order == order && l.Id != exceptLesson)
            ? new Failure(ErrorCodes.OrderTaken, $"Another lesson of this course has order {order}.")
            : null;

    /// <summary>The names of the fields that changed, comma-separated, or null when none did.</summary>
    private static string? ChangedFields(params (string Field, bool Changed)[] fields) =>
        fields.Any(f => f.Changed) ? string.Join(',', fields.Where(f => f.Changed).Select(f => f.Field)) : null;

    private static CatalogDecision<T> Changed<T>(
        T value, CatalogSnapshot catalog, DateTimeOffset now, AuditEntry audit,
        IReadOnlyList<CatalogCourse>? courses = null, IReadOnlyList<Guid>? deletedCourses = null,
        IReadOnlyList<CatalogLesson>? lessons = null, IReadOnlyList<Guid>? deletedLessons = null)
    {
        var change = new CatalogChange(catalog.Version, catalog.Version + 1,
            courses ?? [], deletedCourses ?? [], lessons ?? [], deletedLessons ?? [], [audit]);
        return new CatalogDecision<T>.Changed(value, catalog.Apply(change), change);
    }

    private static AuditEntry Entry(string action, CatalogActor actor, DateTimeOffset now, params (string Name, object? Value)[] fields) =>
        new(AuditIds.Next(now), actor.Id, UserEmail: null, action, actor.Client.IpAddress, actor.Client.UserAgent,
            AuditMetadata.Of([("actor_id", actor.Id), .. fields]), now);

    /// <summary>Field errors keyed by the contract's JSON names, all reported at once.</summary>
    private sealed class FieldErrors
    {
        private readonly Dictionary<string, string[]> _errors = [];

        public Failure? Failure => _errors.Count == 0
            ? null
            : Failure.Validation(_errors.First().Key, _errors.First().Value[0]) with { Errors = _errors };

        /// <summary>The title without surrounding spaces, or null (and an error) when blank or too long.</summary>
        public string? Title(string? title)
        {
            var trimmed = title?.Trim();
            if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxTitleLength)
            {
                _errors["title"] = [$"Must be 1 to {MaxTitleLength} characters, not blank."];
                return null;
            }

            return trimmed;
        }

        public void Description(string? description)
        {
            if (description is null || description.Length > MaxDescriptionLength)
            {
                _errors["description"] = [$"Must be text of at most {MaxDescriptionLength} characters."];
            }
        }

        public void Duration(int minutes)
        {
            if (minutes is < 1 or > LessonLength.MaxMinutes)
            {
                _errors["duration_minutes"] = [$"Must be a whole number of minutes from 1 to {LessonLength.MaxMinutes}."];
            }
        }

        public void Order(int order)
        {
            if (order < 1)
            {
                _errors["order"] = ["Must be 1 or more."];
            }
        }
    }
}
