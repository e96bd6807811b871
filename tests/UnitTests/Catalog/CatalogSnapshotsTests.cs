using System.Collections.Immutable;
using System.Reflection;
using Learning.Catalog;
using Learning.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Catalog;

public sealed class CatalogSnapshotsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeCatalogGrain _grain = new();
    private readonly FakeTimeProvider _timers = new(Now);
    private readonly CatalogSnapshots _snapshots;

    public CatalogSnapshotsTests()
    {
        _grain.Catalog = CatalogRules.Import(DemoCatalog.Create(Now)).Snapshot;
        _snapshots = new CatalogSnapshots(GrainFactory.Answering(_grain), CatalogVisibilityTests.Settings(), new Lifetime(),
            NullLogger<CatalogSnapshots>.Instance, _timers);
    }

    public void Dispose() => _snapshots.Dispose();

    [Fact]
    public async Task The_first_read_waits_for_the_catalog_and_later_reads_cost_no_call()
    {
        var first = await _snapshots.GetAsync();
        var calls = _grain.Calls;

        var again = await _snapshots.GetAsync();

        Assert.Same(_grain.Catalog, first);
        Assert.Same(first, again);
        Assert.Equal(calls, _grain.Calls);
    }

    [Fact]
    public async Task The_first_read_fails_when_the_catalog_cannot_be_had()
    {
        _grain.Unreachable = true;

        await Assert.ThrowsAsync<TimeoutException>(async () => await _snapshots.GetAsync());
    }

    [Fact]
    public async Task A_change_arrives_with_the_next_refresh()
    {
        await _snapshots.GetAsync();
        _grain.Catalog = Changed(_grain.Catalog);

        Assert.Same(_grain.Catalog, await EventuallyAsync(s => s.Version == _grain.Catalog.Version));
    }

    [Fact]
    public async Task While_the_catalog_grain_is_unreachable_the_last_snapshot_keeps_answering()
    {
        var held = await _snapshots.GetAsync();
        _grain.Unreachable = true;
        var calls = _grain.Calls;

        await EventuallyAsync(_ => _grain.Calls >= calls + 2);

        Assert.Same(held, await _snapshots.GetAsync());
        // Back again: the loop kept going through the failures.
        _grain.Unreachable = false;
        _grain.Catalog = Changed(_grain.Catalog);
        await EventuallyAsync(s => s.Version == _grain.Catalog.Version);
    }

    [Fact]
    public async Task Refreshing_after_a_local_write_shows_it_at_once()
    {
        await _snapshots.GetAsync();
        _grain.Catalog = Changed(_grain.Catalog);

        await _snapshots.RefreshAsync();

        Assert.Same(_grain.Catalog, await _snapshots.GetAsync());
    }

    private static CatalogSnapshot Changed(CatalogSnapshot catalog) =>
        Assert.IsType<CatalogDecision<CatalogCourse>.Changed>(CatalogRules.CreateCourse(
            catalog, new NewCourse("New", "", true), new CatalogActor(Guid.NewGuid(), ClientInfo.Internal), Now)).Snapshot;

    /// <summary>
    /// Moves the loop's clock on by one interval at a time until the loop has done what the test expects (it runs on
    /// the thread pool, so it may not be waiting yet when the clock first moves); bounded in real time.
    /// </summary>
    private async Task<CatalogSnapshot> EventuallyAsync(Func<CatalogSnapshot, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var current = await _snapshots.GetAsync();
            if (done(current))
            {
                return current;
            }

            Assert.True(DateTime.UtcNow < deadline, "the refresh loop did not get there within 5 s");
            _timers.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(5);
        }
    }

    private sealed class FakeCatalogGrain : ICatalogGrain
    {
        private int _calls;

        public CatalogSnapshot Catalog { get; set; } = CatalogSnapshot.Empty;

        public bool Unreachable { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public Task<CatalogSnapshot?> GetSnapshotIfNewer(long knownVersion)
        {
            Interlocked.Increment(ref _calls);
            return Unreachable
                ? Task.FromException<CatalogSnapshot?>(new TimeoutException("no silo"))
                : Task.FromResult(Catalog.Version == knownVersion ? null : Catalog);
        }

        public Task<Result<CatalogCourse>> CreateCourse(Guid actorId, ClientInfo client, NewCourse course) => throw new NotSupportedException();
        public Task<Result<CatalogCourse>> UpdateCourse(Guid actorId, ClientInfo client, Guid courseId, CoursePatch patch) => throw new NotSupportedException();
        public Task<Result<Done>> DeleteCourse(Guid actorId, ClientInfo client, Guid courseId) => throw new NotSupportedException();
        public Task<Result<CatalogLesson>> AddLesson(Guid actorId, ClientInfo client, Guid courseId, NewLesson lesson) => throw new NotSupportedException();
        public Task<Result<CatalogLesson>> UpdateLesson(Guid actorId, ClientInfo client, Guid lessonId, LessonPatch patch) => throw new NotSupportedException();
        public Task<Result<ImmutableArray<CatalogLesson>>> ReorderLessons(Guid actorId, ClientInfo client, Guid courseId, ImmutableArray<Guid> lessonIds) =>
            throw new NotSupportedException();
        public Task<Result<CatalogLesson>> DeleteLesson(Guid actorId, ClientInfo client, Guid lessonId) => throw new NotSupportedException();
        public Task<Result<MediaStored>> SetLessonMedia(Guid actorId, ClientInfo client, Guid lessonId, LessonMedia media) => throw new NotSupportedException();
    }

    /// <summary>A grain factory whose every <c>GetGrain</c> answers the one fake grain.</summary>
    public class GrainFactory : DispatchProxy
    {
        private object _grain = null!;

        public static IGrainFactory Answering(object grain)
        {
            var factory = Create<IGrainFactory, GrainFactory>();
            ((GrainFactory)(object)factory)._grain = grain;
            return factory;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IGrainFactory.GetGrain) ? _grain : throw new NotSupportedException(targetMethod?.Name);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
