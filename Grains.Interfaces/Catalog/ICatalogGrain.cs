using System.Collections.Immutable;
using Learning.Common;

namespace Learning.Catalog;

/// <summary>
/// The catalog's one writer (key 0): every change is validated, stored and audited (with the admin's id as
/// <c>actor_id</c>) one at a time. Readers do not call it per request: each process keeps the newest
/// <see cref="CatalogSnapshot"/> and asks for a newer one every few seconds.
/// </summary>
[Alias("catalog.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    /// <summary>The current snapshot when its version differs from <paramref name="knownVersion"/>, otherwise null.</summary>
    [Alias("snapshot-if-newer")]
    Task<CatalogSnapshot?> GetSnapshotIfNewer(long knownVersion);

    [Alias("create-course")]
    Task<Result<CatalogCourse>> CreateCourse(Guid actorId, ClientInfo client, NewCourse course);

    [Alias("update-course")]
    Task<Result<CatalogCourse>> UpdateCourse(Guid actorId, ClientInfo client, Guid courseId, CoursePatch patch);

    /// <summary>Only an empty course may go (<c>course_not_empty</c>): unpublish instead.</summary>
    [Alias("delete-course")]
    Task<Result<Done>> DeleteCourse(Guid actorId, ClientInfo client, Guid courseId);

    [Alias("add-lesson")]
    Task<Result<CatalogLesson>> AddLesson(Guid actorId, ClientInfo client, Guid courseId, NewLesson lesson);

    [Alias("update-lesson")]
    Task<Result<CatalogLesson>> UpdateLesson(Guid actorId, ClientInfo client, Guid lessonId, LessonPatch patch);

    /// <summary>Renumbers the course's lessons 1…n in the given order, in one change; the list must be exactly its lessons.</summary>
    [Alias("reorder-lessons")]
    Task<Result<ImmutableArray<CatalogLesson>>> ReorderLessons(Guid actorId, ClientInfo client, Guid courseId, ImmutableArray<Guid> lessonIds);

    /// <summary>Removes the lesson and ends its live sessions (reason <c>ended</c>); the caller removes its file.</summary>
    [Alias("delete-lesson")]
    Task<Result<CatalogLesson>> DeleteLesson(Guid actorId, ClientInfo client, Guid lessonId);

    /// <summary>Records an uploaded file (already in place under <c>Media:Root</c>); a stated duration replaces the lesson's.</summary>
    [Alias("set-lesson-media")]
    Task<Result<MediaStored>> SetLessonMedia(Guid actorId, ClientInfo client, Guid lessonId, LessonMedia media);
}
