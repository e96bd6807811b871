using System.Collections.Immutable;
using Learning.Common;

namespace Learning.Catalog;

// PLACEHOLDER until the writer lands (branch h/grains): compiles against the new interface, writes throw.
public sealed class CatalogGrain : Grain, ICatalogGrain
{
    public Task<CatalogSnapshot?> GetSnapshotIfNewer(long knownVersion) => throw new NotImplementedException();
    public Task<Result<CatalogCourse>> CreateCourse(Guid actorId, ClientInfo client, NewCourse course) => throw new NotImplementedException();
    public Task<Result<CatalogCourse>> UpdateCourse(Guid actorId, ClientInfo client, Guid courseId, CoursePatch patch) => throw new NotImplementedException();
    public Task<Result<Done>> DeleteCourse(Guid actorId, ClientInfo client, Guid courseId) => throw new NotImplementedException();
    public Task<Result<CatalogLesson>> AddLesson(Guid actorId, ClientInfo client, Guid courseId, NewLesson lesson) => throw new NotImplementedException();
    public Task<Result<CatalogLesson>> UpdateLesson(Guid actorId, ClientInfo client, Guid lessonId, LessonPatch patch) => throw new NotImplementedException();
    public Task<Result<ImmutableArray<CatalogLesson>>> ReorderLessons(Guid actorId, ClientInfo client, Guid courseId, ImmutableArray<Guid> lessonIds) => throw new NotImplementedException();
    public Task<Result<CatalogLesson>> DeleteLesson(Guid actorId, ClientInfo client, Guid lessonId) => throw new NotImplementedException();
    public Task<Result<MediaStored>> SetLessonMedia(Guid actorId, ClientInfo client, Guid lessonId, LessonMedia media) => throw new NotImplementedException();
}
