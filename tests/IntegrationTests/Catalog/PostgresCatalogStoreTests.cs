using Learning.Accounts;
using Learning.Audit;
using Learning.Catalog;
using Learning.Persistence;
using Learning.Playback;
using Learning.ReadModel;
using Learning.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Learning.IntegrationTests.Catalog;

/// <summary>
/// The catalog's PostgreSQL tables through <see cref="PostgresCatalogStore"/>: what is stored reads back whole, a
/// change from a stale version writes nothing, and each test starts from a database of its own.
/// </summary>
public sealed class PostgresCatalogStoreTests : IAsyncLifetime
{
    // Whole milliseconds: PostgreSQL keeps microseconds, .NET ticks of 100 ns would not survive the round trip.
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 30, 0, 123, TimeSpan.Zero);
    private static readonly Guid Admin = Guid.NewGuid();

    private readonly FakeTimeProvider _clock = new(Now);
    private string _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresCatalogStore _store = null!;
    private PostgresReadModel _readModel = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(_database);
        _store = new PostgresCatalogStore(_dataSource);
        _readModel = new PostgresReadModel(_dataSource, _clock, Options.Create(new PlaybackOptions()));
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task A_database_without_a_stored_catalog_loads_null_and_an_emptied_one_still_loads()
    {
        Assert.Null(await _store.LoadAsync());

        var course = Course("Only course", Now);
        await _store.ApplyAsync(Change(0, 1, courses: [course]));
        await _store.ApplyAsync(Change(1, 2, deletedCourses: [course.Id]));

        var emptied = await _store.LoadAsync();
        Assert.NotNull(emptied);
        Assert.Equal(2, emptied.Version);
        Assert.Empty(emptied.Courses);
    }

    [Fact]
    public async Task Served_before_only_once_accounts_exist()
    {
        Assert.False(await _store.ServedBeforeAsync());
        await _store.ApplyAsync(Change(0, 1, courses: [Course("Catalog alone is not service", Now)]));
        Assert.False(await _store.ServedBeforeAsync());

        await WriteUserAsync();

        Assert.True(await _store.ServedBeforeAsync());
    }

    [Fact]
    public async Task A_stored_catalog_reads_back_every_field_in_the_order_the_writer_holds_it()
    {
        // Creation times and ids in no particular order: the writer's snapshot keeps courses in the order they were
        // first stored (new ones last), lessons by course then order, and a reload must give the same.
        var first = Course("First", Now.AddHours(2)) with { Description = "Made first", Published = true, UpdatedAt = Now.AddHours(3) };
        var second = Course("Second", Now);
        var third = Course("Third", Now.AddHours(1));
        var withMedia = Lesson(first, 2, "With media") with
        {
            FreePreview = true,
            Media = new LessonMedia($"{Guid.NewGuid()}/{Guid.NewGuid()}.mp4", "video/mp4", 5_368_709_120, new string('a', 64), 754.25, Now.AddMinutes(9)),
        };
        var withMediaNoDuration = Lesson(first, 1, "Media without a stated duration") with
        {
            Media = new LessonMedia($"{Guid.NewGuid()}/{Guid.NewGuid()}.webm", "video/webm", 42, new string('b', 64), null, Now.AddMinutes(8)),
        };
        var created = Change(0, 1, courses: [first, second, third],
            lessons: [Lesson(third, 1, "Of the third"), withMedia, Lesson(second, 1, "Of the second"), withMediaNoDuration]);
        var newest = Course("Added later, dated earliest", Now.AddDays(-1));
        var edited = Change(1, 2, courses: [newest, second with { Title = "Second, edited" }],
            lessons: [Lesson(newest, 1, "Of the newest"), Lesson(first, 3, "Added to the first")]);

        await _store.ApplyAsync(created);
        await _store.ApplyAsync(edited);

        var expected = CatalogSnapshot.Empty.Apply(created).Apply(edited);
        var loaded = await _store.LoadAsync();
        Assert.NotNull(loaded);
        Assert.Equal(2, loaded.Version);
        Assert.Equal<CatalogCourse>(expected.Courses, loaded.Courses);
        Assert.Equal<CatalogLesson>(expected.Lessons, loaded.Lessons);
        Assert.Equal(["First", "Second, edited", "Third", "Added later, dated earliest"], loaded.Courses.Select(c => c.Title));
    }

    [Fact]
    public async Task The_demo_catalog_reads_back_as_imported()
    {
        var (imported, change) = CatalogRules.Import(DemoCatalog.Create(Now));

        await _store.ApplyAsync(change);

        var loaded = (await _store.LoadAsync())!;
        Assert.Equal(imported.Version, loaded.Version);
        Assert.Equal<CatalogCourse>(imported.Courses, loaded.Courses);
        Assert.Equal<CatalogLesson>(imported.Lessons, loaded.Lessons);
    }

    [Fact]
    public async Task An_upsert_replaces_every_field_and_removing_media_clears_it()
    {
        var course = Course("Before", Now);
        var lesson = Lesson(course, 1, "Before") with
        {
            Media = new LessonMedia("a/b.mp4", "video/mp4", 10, new string('c', 64), 60, Now),
        };
        await _store.ApplyAsync(Change(0, 1, courses: [course], lessons: [lesson]));

        var editedCourse = course with { Title = "After", Description = "Edited", Published = true, UpdatedAt = Now.AddDays(1) };
        var editedLesson = lesson with
        {
            Title = "After",
            DurationMinutes = 33,
            Order = 4,
            FreePreview = true,
            Media = null,
            UpdatedAt = Now.AddDays(1),
        };
        await _store.ApplyAsync(Change(1, 2, courses: [editedCourse], lessons: [editedLesson]));

        var loaded = (await _store.LoadAsync())!;
        Assert.Equal<CatalogCourse>([editedCourse], loaded.Courses);
        Assert.Equal<CatalogLesson>([editedLesson], loaded.Lessons);
    }

    [Fact]
    public async Task A_change_from_a_stale_version_throws_and_writes_nothing_not_even_its_audit()
    {
        var course = Course("Kept", Now);
        await _store.ApplyAsync(Change(0, 1, courses: [course]));
        var stored = await _store.LoadAsync();

        var intruder = Course("Never stored", Now);
        var audit = Entry(AuditActions.CourseCreate);
        // A second first start (the marker exists), a writer behind, and one from a version never reached.
        foreach (var (expected, version) in new[] { (0L, 1L), (0L, 2L), (5L, 6L) })
        {
            var conflict = await Assert.ThrowsAsync<CatalogVersionConflictException>(() => _store.ApplyAsync(
                Change(expected, version, courses: [intruder], deletedCourses: [course.Id], audit: [audit])));
            Assert.Contains($"version {expected}", conflict.Message);
        }

        var after = (await _store.LoadAsync())!;
        Assert.Equal(stored!.Version, after.Version);
        Assert.Equal<CatalogCourse>(stored.Courses, after.Courses);
        Assert.Equal(0L, await AuditCountAsync(audit.Id));
    }

    [Fact]
    public async Task Of_two_writers_racing_from_one_version_exactly_one_commits_whole()
    {
        await _store.ApplyAsync(Change(0, 1, courses: [Course("Start", Now)]));
        var writers = Enumerable.Range(0, 2).Select(i => Change(1, 2,
            courses: [Course($"Writer {i}", Now.AddMinutes(1))], audit: [Entry(AuditActions.CourseCreate)])).ToList();

        var outcomes = await Task.WhenAll(writers.Select(async change =>
        {
            try
            {
                await new PostgresCatalogStore(_dataSource).ApplyAsync(change);
                return true;
            }
            catch (CatalogVersionConflictException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, committed => committed);
        var winner = writers[Array.IndexOf(outcomes, true)];
        var loser = writers[Array.IndexOf(outcomes, false)];
        var loaded = (await _store.LoadAsync())!;
        Assert.Equal(2, loaded.Version);
        Assert.Equal(["Start", winner.UpsertedCourses[0].Title], loaded.Courses.Select(c => c.Title));
        Assert.Equal(1L, await AuditCountAsync(winner.Audit[0].Id));
        Assert.Equal(0L, await AuditCountAsync(loser.Audit[0].Id));
    }

    [Fact]
    public async Task A_reorder_swapping_two_lessons_needs_no_free_order_number()
    {
        var course = Course("Swap", Now);
        var one = Lesson(course, 1, "One");
        var two = Lesson(course, 2, "Two");
        var three = Lesson(course, 3, "Three");
        await _store.ApplyAsync(Change(0, 1, courses: [course], lessons: [one, two, three]));

        await _store.ApplyAsync(Change(1, 2, lessons: [one with { Order = 2 }, two with { Order = 1 }]));

        Assert.Equal(["Two", "One", "Three"], (await _store.LoadAsync())!.LessonsOf(course.Id).Select(l => l.Title));
    }

    [Fact]
    public async Task Two_lessons_left_on_one_order_number_are_refused_at_commit_and_nothing_is_written()
    {
        var course = Course("Clash", Now);
        var one = Lesson(course, 1, "One");
        var two = Lesson(course, 2, "Two");
        await _store.ApplyAsync(Change(0, 1, courses: [course], lessons: [one, two]));
        var audit = Entry(AuditActions.LessonUpdate);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => _store.ApplyAsync(
            Change(1, 2, lessons: [two with { Order = 1, Title = "Moved" }], audit: [audit])));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        var loaded = (await _store.LoadAsync())!;
        Assert.Equal(1, loaded.Version);
        Assert.Equal<CatalogLesson>([one, two], loaded.Lessons);
        Assert.Equal(0L, await AuditCountAsync(audit.Id));
    }

    [Fact]
    public async Task A_change_stores_its_audit_entries_once_even_when_sent_again()
    {
        var course = Course("Audited", Now);
        var lesson = Lesson(course, 1, "Audited lesson");
        var courseEntry = Entry(AuditActions.CourseCreate, $$"""{"actor_id":"{{Admin}}","course_id":"{{course.Id}}"}""");
        var lessonEntry = Entry(AuditActions.LessonCreate, $$"""{"actor_id":"{{Admin}}","lesson_id":"{{lesson.Id}}"}""");
        await _store.ApplyAsync(Change(0, 1, courses: [course], lessons: [lesson], audit: [courseEntry, lessonEntry]));

        // A writer that could not tell whether its commit landed sends the same entries with its next change.
        await _store.ApplyAsync(Change(1, 2, courses: [course with { Published = true }], audit: [courseEntry, lessonEntry]));

        Assert.Equal(1L, await AuditCountAsync(courseEntry.Id));
        Assert.Equal(1L, await AuditCountAsync(lessonEntry.Id));
        var trail = (await _readModel.QueryAsync(new AuditQuery(Action: null, Admin, IpAddress: null, Since: null, Until: null, Limit: 10, After: null))).Results;
        Assert.Equal([AuditActions.CourseCreate, AuditActions.LessonCreate], trail.Select(e => e.Action).Order());
        Assert.All(trail, e => Assert.Contains(Admin.ToString(), e.MetadataJson));
    }

    [Fact]
    public async Task Sessions_filter_by_lesson()
    {
        var lesson = Guid.NewGuid();
        var other = Guid.NewGuid();
        var sessions = new[] { Session(lesson, ended: false), Session(lesson, ended: true), Session(other, ended: false) };
        await WriteUserAsync(sessions);

        var live = await _readModel.ListSessionsAsync(new SessionFilter(Live: true, UserId: null, Limit: 10, After: null) { LessonId = lesson });
        var all = await _readModel.ListSessionsAsync(new SessionFilter(Live: null, UserId: null, Limit: 10, After: null) { LessonId = lesson });

        Assert.Equal([sessions[0].Id], live.Results.Select(s => s.Id));
        Assert.Equal(sessions[..2].Select(s => s.Id).Order(), all.Results.Select(s => s.Id).Order());
    }

    private static CatalogCourse Course(string title, DateTimeOffset createdAt, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), title, $"About {title}", Published: false, createdAt, createdAt);

    private static CatalogLesson Lesson(CatalogCourse course, int order, string title) =>
        new(Guid.NewGuid(), course.Id, title, DurationMinutes: 10 + order, order, FreePreview: false, Media: null, Now, Now);

    private static AuditEntry Entry(string action, string? metadata = null) =>
        new(Guid.NewGuid(), Admin, "admin@example.com", action, "198.51.100.7", "tests", metadata ?? $$"""{"actor_id":"{{Admin}}"}""", Now);

    private static CatalogChange Change(
        long expected, long version, CatalogCourse[]? courses = null, CatalogLesson[]? lessons = null, Guid[]? deletedCourses = null,
        Guid[]? deletedLessons = null, AuditEntry[]? audit = null) =>
        new(expected, version, courses ?? [], deletedCourses ?? [], lessons ?? [], deletedLessons ?? [], audit ?? []);

    private static PlaybackSession Session(Guid lessonId, bool ended) => new(
        Guid.NewGuid(), Guid.NewGuid().ToString("N"), Guid.NewGuid(), "web-1", "Browser", lessonId, "Lesson", 600,
        Now.AddMinutes(-5), Now.AddHours(2), Now.AddSeconds(-10), Position: 0, WatchTimeSeconds: 0,
        EndedAt: ended ? Now.AddMinutes(-1) : null, EndReason: ended ? EndReasons.Ended : null);

    private async Task WriteUserAsync(params PlaybackSession[] sessions)
    {
        await _readModel.WriteAsync(
            new UserSnapshot(Guid.NewGuid(), 1, $"{Guid.NewGuid():N}@example.com", "Existing User", Role.Student, Now, [], sessions), []);
    }

    private Task<long> AuditCountAsync(Guid id) => PostgresDatabase.ScalarAsync<long>(_database, "SELECT count(*) FROM audit_logs WHERE id = $1", id);
}
