using System.Collections.Immutable;
using System.Diagnostics;
using Learning.Common;
using Learning.Hosting;
using Learning.Playback;
using Learning.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;

namespace Learning.Catalog;

/// <summary>
/// The catalog's one writer (one activation, key 0): it holds the stored catalog as a snapshot and runs every command
/// through <see cref="CatalogRules"/>, storing the change before the new snapshot replaces the old. Snapshot reads
/// interleave with a running command and see the catalog before it: a slow write never stalls every process's
/// refresh, and a user's grain asking for its first snapshot never waits on a command that is waiting on that user.
/// </summary>
[MayInterleave(nameof(IsSnapshotRead))]
public sealed partial class CatalogGrain(
    ICatalogStore store,
    CatalogSettings settings,
    IOperatorQueries sessions,
    [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock,
    ILogger<CatalogGrain> logger) : Grain, ICatalogGrain
{
    private const int SessionPageSize = 200;

    private static readonly Failure ChangedElsewhere = new(ErrorCodes.ServiceUnavailable, "The catalog was changed elsewhere; retry shortly.")
    {
        RetryAfterSeconds = 1,
    };

    private CatalogSnapshot _catalog = CatalogSnapshot.Empty;

    private DateTimeOffset Now => clock.GetUtcNow();

    public static bool IsSnapshotRead(IInvokable request) => request.GetMethod()?.Name == nameof(GetSnapshotIfNewer);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _catalog = await store.LoadAsync(cancellationToken) ?? await ImportAsync(cancellationToken);

    public Task<CatalogSnapshot?> GetSnapshotIfNewer(long knownVersion) =>
        Task.FromResult(_catalog.Version == knownVersion ? null : _catalog);

    public Task<Result<CatalogCourse>> CreateCourse(Guid actorId, ClientInfo client, NewCourse course) =>
        StoreAsync(CatalogRules.CreateCourse(_catalog, course, new CatalogActor(actorId, client), Now));

    public Task<Result<CatalogCourse>> UpdateCourse(Guid actorId, ClientInfo client, Guid courseId, CoursePatch patch) =>
        StoreAsync(CatalogRules.UpdateCourse(_catalog, courseId, patch, new CatalogActor(actorId, client), Now));

    public Task<Result<Done>> DeleteCourse(Guid actorId, ClientInfo client, Guid courseId) =>
        StoreAsync(CatalogRules.DeleteCourse(_catalog, courseId, new CatalogActor(actorId, client), Now));

    public Task<Result<CatalogLesson>> AddLesson(Guid actorId, ClientInfo client, Guid courseId, NewLesson lesson) =>
        StoreAsync(CatalogRules.AddLesson(_catalog, courseId, lesson, new CatalogActor(actorId, client), Now));

    public Task<Result<CatalogLesson>> UpdateLesson(Guid actorId, ClientInfo client, Guid lessonId, LessonPatch patch) =>
        StoreAsync(CatalogRules.UpdateLesson(_catalog, lessonId, patch, new CatalogActor(actorId, client), Now));

    public Task<Result<ImmutableArray<CatalogLesson>>> ReorderLessons(Guid actorId, ClientInfo client, Guid courseId, ImmutableArray<Guid> lessonIds) =>
        StoreAsync(CatalogRules.ReorderLessons(_catalog, courseId, lessonIds, new CatalogActor(actorId, client), Now));

    public async Task<Result<CatalogLesson>> DeleteLesson(Guid actorId, ClientInfo client, Guid lessonId)
    {
        var deleted = await StoreAsync(CatalogRules.DeleteLesson(_catalog, lessonId, new CatalogActor(actorId, client), Now));
        if (deleted.Value is { } lesson)
        {
            await EndLiveSessionsAsync(lesson, actorId, client);
        }

        return deleted;
    }

    public Task<Result<MediaStored>> SetLessonMedia(Guid actorId, ClientInfo client, Guid lessonId, LessonMedia media) =>
        StoreAsync(CatalogRules.SetLessonMedia(_catalog, lessonId, media, new CatalogActor(actorId, client), Now));

    /// <summary>
    /// The first start on a storage without a catalog: the demo catalog when <c>Demo:Catalog</c> is on, the catalog a
    /// deployment served while it was compiled in, or an empty one. Stored even when empty, so the demo never seeds
    /// a catalog operators emptied.
    /// </summary>
    private async Task<CatalogSnapshot> ImportAsync(CancellationToken cancellationToken)
    {
        var seed = settings.LoadDemoCatalog ? "demo"
            : await store.ServedBeforeAsync(cancellationToken) ? "served-before"
            : "empty";
        var (snapshot, change) = CatalogRules.Import(seed == "empty" ? CatalogSnapshot.Empty : DemoCatalog.Create(Now));
        try
        {
            await store.ApplyAsync(change, cancellationToken);
        }
        catch (CatalogVersionConflictException)
        {
            // A second activation during fail-over imported first: what it stored is the catalog.
            return await store.LoadAsync(cancellationToken) ?? throw new InvalidOperationException("The catalog store refused the import but holds no catalog.");
        }

        LogImported(logger, seed, snapshot.Courses.Length, snapshot.Lessons.Length);
        return snapshot;
    }

    /// <summary>Stores a decided change, then makes it the catalog; a refusal or a change of nothing stores nothing.</summary>
    private async Task<Result<T>> StoreAsync<T>(CatalogDecision<T> decision)
    {
        switch (decision)
        {
            case CatalogDecision<T>.Refused(var failure):
                return failure;
            case CatalogDecision<T>.Unchanged(var value):
                return Result.Of(value);
            case CatalogDecision<T>.Changed(var value, var next, var change):
                try
                {
                    await store.ApplyAsync(change);
                }
                catch (CatalogVersionConflictException exception)
                {
                    // Another writer got in (a second activation during fail-over): this one's catalog is stale. The next
                    // call reactivates from storage; this one is refused, not applied to a catalog it was not decided on.
                    LogConflict(logger, exception, change.ExpectedVersion);
                    this.DeactivateOnIdle();
                    return ChangedElsewhere;
                }

                _catalog = next;
                return Result.Of(value);
            default:
                throw new UnreachableException($"Unknown catalog decision {decision.GetType().Name}.");
        }
    }

    /// <summary>
    /// Ends the live sessions of a deleted lesson through their users' grains. The lesson is already gone, so a user
    /// this cannot reach is logged rather than failing the deletion: that session ends by itself within its lifetime,
    /// and its media route stops serving a lesson the catalog no longer has.
    /// </summary>
    private async Task EndLiveSessionsAsync(CatalogLesson lesson, Guid actorId, ClientInfo client)
    {
        try
        {
            var users = new HashSet<Guid>();
            PageCursor? after = null;
            do
            {
                var page = await sessions.ListSessionsAsync(new SessionFilter(Live: true, UserId: null, SessionPageSize, after) { LessonId = lesson.Id });
                users.UnionWith(page.Results.Select(s => s.UserId));
                after = page.Next;
            }
            while (after is not null);

            var ended = await Task.WhenAll(users.Select(async user =>
                (User: user, Result: await GrainFactory.GetGrain<IUserPlaybackGrain>(user).EndLessonSessions(lesson.Id, actorId, client))));
            foreach (var (user, result) in ended.Where(e => !e.Result.Succeeded))
            {
                LogSessionsNotEnded(logger, null, lesson.Id, user, result.Error!.Code);
            }
        }
        catch (Exception exception)
        {
            LogSessionsNotEnded(logger, exception, lesson.Id, null, exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog stored for the first time ({Seed}): {CourseCount} courses, {LessonCount} lessons")]
    private static partial void LogImported(ILogger logger, string seed, int courseCount, int lessonCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored catalog is no longer at version {Version}; reloading it on the next call")]
    private static partial void LogConflict(ILogger logger, Exception exception, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live sessions of deleted lesson {LessonId} (user {UserId}) were not ended: {Reason}")]
    private static partial void LogSessionsNotEnded(ILogger logger, Exception? exception, Guid lessonId, Guid? userId, string reason);
}
