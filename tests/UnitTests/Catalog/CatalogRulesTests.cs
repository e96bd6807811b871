using System.Collections.Immutable;
using System.Text.Json;
using Learning.Audit;
using Learning.Catalog;
using Learning.Common;

namespace Learning.UnitTests.Catalog;

public sealed class CatalogRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly CatalogActor Admin = new(Guid.NewGuid(), new ClientInfo("203.0.113.7", "console"));

    private readonly CatalogSnapshot _demo = CatalogRules.Import(DemoCatalog.Create(Now)).Snapshot;

    private CatalogCourse FirstCourse => _demo.Courses[0];

    private ImmutableArray<CatalogLesson> FirstCourseLessons => _demo.LessonsOf(FirstCourse.Id);

    [Fact]
    public void The_first_import_expects_no_catalog_and_stores_version_1()
    {
        var (snapshot, change) = CatalogRules.Import(DemoCatalog.Create(Now));
        var (empty, emptyChange) = CatalogRules.Import(CatalogSnapshot.Empty);

        Assert.Equal((0, 1), (change.ExpectedVersion, change.Version));
        Assert.Equal((48, 1L), (snapshot.Lessons.Length, snapshot.Version));
        // An empty catalog is stored too: that a catalog exists is what keeps the demo from seeding it again.
        Assert.Equal((0, 1), (emptyChange.ExpectedVersion, emptyChange.Version));
        Assert.True(empty.Courses.IsEmpty);
    }

    [Fact]
    public void A_new_course_is_the_next_version_audited_with_the_acting_admin()
    {
        var changed = Changed(CatalogRules.CreateCourse(_demo, new NewCourse("  Tai chi  ", "Slow forms.", Published: false), Admin, Now));

        var course = changed.Value;
        Assert.Equal(("Tai chi", false, Now), (course.Title, course.Published, course.CreatedAt));
        Assert.Equal(course, changed.Snapshot.FindCourse(course.Id));
        Assert.Equal(course.Id, changed.Snapshot.Courses[^1].Id);
        Assert.Equal((_demo.Version, _demo.Version + 1, _demo.Version + 1), (changed.Change.ExpectedVersion, changed.Change.Version, changed.Snapshot.Version));
        var entry = AssertAudited(changed.Change, AuditActions.CourseCreate);
        Assert.Equal(course.Id.ToString(), Metadata(entry)["course_id"].GetString());
        Assert.Equal("Tai chi", Metadata(entry)["course_title"].GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_blank_title_is_a_validation_error(string? title) =>
        AssertInvalid(CatalogRules.CreateCourse(_demo, new NewCourse(title!, "", false), Admin, Now), "title");

    [Fact]
    public void Titles_may_have_200_characters_but_not_201()
    {
        Changed(CatalogRules.CreateCourse(_demo, new NewCourse(new string('a', 200), "", false), Admin, Now));
        AssertInvalid(CatalogRules.CreateCourse(_demo, new NewCourse(new string('a', 201), "", false), Admin, Now), "title");
        AssertInvalid(CatalogRules.AddLesson(_demo, FirstCourse.Id, new NewLesson(new string('a', 201), 10, 13, false), Admin, Now), "title");
    }

    [Fact]
    public void Descriptions_may_have_5000_characters_but_not_5001()
    {
        Changed(CatalogRules.CreateCourse(_demo, new NewCourse("T", new string('d', 5000), false), Admin, Now));
        AssertInvalid(CatalogRules.CreateCourse(_demo, new NewCourse("T", new string('d', 5001), false), Admin, Now), "description");
        AssertInvalid(CatalogRules.UpdateCourse(_demo, FirstCourse.Id, new CoursePatch(null, new string('d', 5001), null), Admin, Now), "description");
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(600, true)]
    [InlineData(601, false)]
    public void Lessons_last_1_to_600_minutes(int minutes, bool accepted)
    {
        var added = CatalogRules.AddLesson(_demo, FirstCourse.Id, new NewLesson("Extra", minutes, 13, false), Admin, Now);
        var patched = CatalogRules.UpdateLesson(_demo, FirstCourseLessons[0].Id, new LessonPatch(null, minutes, null, null), Admin, Now);

        if (accepted)
        {
            Changed(added);
            Changed(patched);
        }
        else
        {
            AssertInvalid(added, "duration_minutes");
            AssertInvalid(patched, "duration_minutes");
        }
    }

    [Fact]
    public void Every_invalid_field_is_reported_at_once()
    {
        var failure = Refused(CatalogRules.AddLesson(_demo, FirstCourse.Id, new NewLesson(" ", 0, 0, false), Admin, Now));

        Assert.Equal(ErrorCodes.ValidationError, failure.Code);
        Assert.Equal(["duration_minutes", "order", "title"], failure.Errors!.Keys.Order());
    }

    [Fact]
    public void A_lesson_cannot_take_an_order_another_lesson_of_its_course_has()
    {
        var taken = Refused(CatalogRules.AddLesson(_demo, FirstCourse.Id, new NewLesson("Extra", 10, 3, false), Admin, Now));
        var patched = Refused(CatalogRules.UpdateLesson(_demo, FirstCourseLessons[0].Id, new LessonPatch(null, null, 2, null), Admin, Now));

        Assert.Equal(ErrorCodes.OrderTaken, taken.Code);
        Assert.Equal(ErrorCodes.OrderTaken, patched.Code);
    }

    [Fact]
    public void Order_numbers_are_unique_per_course_only_and_a_lesson_keeps_its_own()
    {
        var otherCourse = Changed(CatalogRules.CreateCourse(_demo, new NewCourse("Other", "", true), Admin, Now));

        var added = Changed(CatalogRules.AddLesson(otherCourse.Snapshot, otherCourse.Value.Id, new NewLesson("First", 10, 1, true), Admin, Now));
        var own = CatalogRules.UpdateLesson(_demo, FirstCourseLessons[0].Id, new LessonPatch("Renamed", null, 1, null), Admin, Now);

        Assert.Equal(1, added.Value.Order);
        Assert.Equal("Renamed", Changed(own).Value.Title);
    }

    [Fact]
    public void Unknown_courses_and_lessons_are_not_found()
    {
        var nobody = Guid.NewGuid();

        Assert.Equal(ErrorCodes.CourseNotFound, Refused(CatalogRules.UpdateCourse(_demo, nobody, new CoursePatch("T", null, null), Admin, Now)).Code);
        Assert.Equal(ErrorCodes.CourseNotFound, Refused(CatalogRules.DeleteCourse(_demo, nobody, Admin, Now)).Code);
        Assert.Equal(ErrorCodes.CourseNotFound, Refused(CatalogRules.AddLesson(_demo, nobody, new NewLesson("T", 1, 1, false), Admin, Now)).Code);
        Assert.Equal(ErrorCodes.CourseNotFound, Refused(CatalogRules.ReorderLessons(_demo, nobody, [], Admin, Now)).Code);
        Assert.Equal(ErrorCodes.LessonNotFound, Refused(CatalogRules.UpdateLesson(_demo, nobody, new LessonPatch("T", null, null, null), Admin, Now)).Code);
        Assert.Equal(ErrorCodes.LessonNotFound, Refused(CatalogRules.DeleteLesson(_demo, nobody, Admin, Now)).Code);
        Assert.Equal(ErrorCodes.LessonNotFound, Refused(CatalogRules.SetLessonMedia(_demo, nobody, Media(null), Admin, Now)).Code);
    }

    [Fact]
    public void A_patch_that_changes_nothing_stores_and_audits_nothing()
    {
        var course = CatalogRules.UpdateCourse(_demo, FirstCourse.Id, new CoursePatch(FirstCourse.Title, null, true), Admin, Now);
        var lesson = CatalogRules.UpdateLesson(_demo, FirstCourseLessons[0].Id, new LessonPatch(null, null, null, null), Admin, Now);

        Assert.Equal(FirstCourse, Assert.IsType<CatalogDecision<CatalogCourse>.Unchanged>(course).Value);
        Assert.Equal(FirstCourseLessons[0], Assert.IsType<CatalogDecision<CatalogLesson>.Unchanged>(lesson).Value);
    }

    [Fact]
    public void Unpublishing_a_course_is_audited_with_the_fields_that_changed()
    {
        var changed = Changed(CatalogRules.UpdateCourse(_demo, FirstCourse.Id, new CoursePatch("New name", null, false), Admin, Now.AddHours(1)));

        Assert.Equal(("New name", false, Now.AddHours(1)), (changed.Value.Title, changed.Value.Published, changed.Value.UpdatedAt));
        Assert.False(changed.Snapshot.FindCourse(FirstCourse.Id)!.Published);
        var metadata = Metadata(AssertAudited(changed.Change, AuditActions.CourseUpdate));
        Assert.Equal("title,published", metadata["fields"].GetString());
        Assert.Equal(FirstCourse.Title, metadata["previous_title"].GetString());
    }

    [Fact]
    public void Only_a_course_without_lessons_can_be_deleted()
    {
        Assert.Equal(ErrorCodes.CourseNotEmpty, Refused(CatalogRules.DeleteCourse(_demo, FirstCourse.Id, Admin, Now)).Code);

        var catalog = _demo;
        foreach (var lesson in FirstCourseLessons)
        {
            catalog = Changed(CatalogRules.DeleteLesson(catalog, lesson.Id, Admin, Now)).Snapshot;
        }

        var deleted = Changed(CatalogRules.DeleteCourse(catalog, FirstCourse.Id, Admin, Now));
        Assert.Null(deleted.Snapshot.FindCourse(FirstCourse.Id));
        Assert.Equal([FirstCourse.Id], deleted.Change.DeletedCourses);
        AssertAudited(deleted.Change, AuditActions.CourseDelete);
    }

    [Fact]
    public void Deleting_a_lesson_removes_it_and_answers_it_so_its_file_can_be_removed()
    {
        var lesson = FirstCourseLessons[4];

        var deleted = Changed(CatalogRules.DeleteLesson(_demo, lesson.Id, Admin, Now));

        Assert.Equal(lesson, deleted.Value);
        Assert.Null(deleted.Snapshot.FindLesson(lesson.Id));
        Assert.Equal(11, deleted.Snapshot.LessonsOf(FirstCourse.Id).Length);
        Assert.Equal([lesson.Id], deleted.Change.DeletedLessons);
        Assert.Equal(lesson.Id.ToString(), Metadata(AssertAudited(deleted.Change, AuditActions.LessonDelete))["lesson_id"].GetString());
    }

    [Fact]
    public void Reordering_swaps_two_lessons_without_a_free_order_number()
    {
        var ids = FirstCourseLessons.Select(l => l.Id).ToList();
        (ids[0], ids[1]) = (ids[1], ids[0]);

        var reordered = Changed(CatalogRules.ReorderLessons(_demo, FirstCourse.Id, [.. ids], Admin, Now));

        Assert.Equal(ids, reordered.Value.Select(l => l.Id));
        Assert.Equal(Enumerable.Range(1, 12), reordered.Value.Select(l => l.Order));
        Assert.Equal(ids, reordered.Snapshot.LessonsOf(FirstCourse.Id).Select(l => l.Id));
        // One change, holding only the two lessons that moved.
        Assert.Equal(new[] { ids[0], ids[1] }.Order(), reordered.Change.UpsertedLessons.Select(l => l.Id).Order());
        Assert.Equal(_demo.Version + 1, reordered.Change.Version);
        AssertAudited(reordered.Change, AuditActions.CourseUpdate);
    }

    [Fact]
    public void Reordering_renumbers_the_lessons_1_to_n_whatever_numbers_they_had()
    {
        var course = Changed(CatalogRules.CreateCourse(_demo, new NewCourse("Gaps", "", true), Admin, Now));
        var catalog = course.Snapshot;
        var added = new List<Guid>();
        foreach (var order in new[] { 5, 20, 7 })
        {
            var lesson = Changed(CatalogRules.AddLesson(catalog, course.Value.Id, new NewLesson($"At {order}", 10, order, false), Admin, Now));
            (catalog, added) = (lesson.Snapshot, [.. added, lesson.Value.Id]);
        }

        var reordered = Changed(CatalogRules.ReorderLessons(catalog, course.Value.Id, [added[2], added[0], added[1]], Admin, Now));

        Assert.Equal([(added[2], 1), (added[0], 2), (added[1], 3)], reordered.Snapshot.LessonsOf(course.Value.Id).Select(l => (l.Id, l.Order)));
    }

    public static TheoryData<string> NotExactlyTheLessons => ["missing", "duplicate", "unknown", "other-course", "empty"];

    [Theory]
    [MemberData(nameof(NotExactlyTheLessons))]
    public void Reordering_needs_exactly_the_courses_lessons(string mistake)
    {
        var ids = FirstCourseLessons.Select(l => l.Id).ToList();
        ImmutableArray<Guid> list = mistake switch
        {
            "missing" => [.. ids.Skip(1)],
            "duplicate" => [.. ids.Skip(1), ids[1]],
            "unknown" => [.. ids, Guid.NewGuid()],
            "other-course" => [.. ids.Skip(1), _demo.LessonsOf(_demo.Courses[1].Id)[0].Id],
            _ => [],
        };

        AssertInvalid(CatalogRules.ReorderLessons(_demo, FirstCourse.Id, list, Admin, Now), "lesson_ids");
    }

    [Fact]
    public void Reordering_into_the_current_order_changes_nothing()
    {
        var same = CatalogRules.ReorderLessons(_demo, FirstCourse.Id, [.. FirstCourseLessons.Select(l => l.Id)], Admin, Now);

        Assert.IsType<CatalogDecision<ImmutableArray<CatalogLesson>>.Unchanged>(same);
    }

    [Theory]
    [InlineData(61.0, 2)]
    [InlineData(60.0, 1)]
    [InlineData(0.4, 1)]
    [InlineData(599.01, 10)]
    public void A_duration_the_file_states_replaces_the_minutes_rounded_up(double seconds, int minutes)
    {
        var lesson = FirstCourseLessons[0];

        var stored = Changed(CatalogRules.SetLessonMedia(_demo, lesson.Id, Media(seconds), Admin, Now));

        Assert.Equal(minutes, stored.Value.Lesson.DurationMinutes);
        Assert.Equal((int)Math.Ceiling(seconds), LessonLength.Seconds(stored.Value.Lesson));
        Assert.Null(stored.Value.Previous);
        Assert.Equal(stored.Value.Lesson, stored.Snapshot.FindLesson(lesson.Id));
        var metadata = Metadata(AssertAudited(stored.Change, AuditActions.MediaUpload));
        Assert.Equal(seconds, metadata["duration_seconds"].GetDouble());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(1e12)]
    public void Without_a_usable_stated_duration_the_entered_minutes_stay(double? seconds)
    {
        var lesson = FirstCourseLessons[0];

        var stored = Changed(CatalogRules.SetLessonMedia(_demo, lesson.Id, Media(seconds), Admin, Now));

        Assert.Equal(lesson.DurationMinutes, stored.Value.Lesson.DurationMinutes);
        Assert.Equal(lesson.DurationMinutes * 60, LessonLength.Seconds(stored.Value.Lesson));
    }

    [Fact]
    public void A_replaced_file_is_named_so_it_can_be_removed()
    {
        var lesson = FirstCourseLessons[0];
        var first = Changed(CatalogRules.SetLessonMedia(_demo, lesson.Id, Media(90), Admin, Now));

        var second = Changed(CatalogRules.SetLessonMedia(first.Snapshot, lesson.Id, Media(30), Admin, Now));

        Assert.Equal(first.Value.Lesson.Media, second.Value.Previous);
        Assert.Equal(first.Value.Lesson.Media!.FileName, Metadata(AssertAudited(second.Change, AuditActions.MediaUpload))["replaced_file_name"].GetString());
    }

    [Fact]
    public void Every_change_expects_the_version_it_was_decided_on()
    {
        var created = Changed(CatalogRules.CreateCourse(_demo, new NewCourse("A", "", true), Admin, Now));
        var added = Changed(CatalogRules.AddLesson(created.Snapshot, created.Value.Id, new NewLesson("L", 5, 1, false), Admin, Now));

        Assert.Equal((created.Snapshot.Version, created.Snapshot.Version + 1), (added.Change.ExpectedVersion, added.Change.Version));
        Assert.Equal(added.Snapshot, created.Snapshot.Apply(added.Change), SnapshotComparer.Instance);
    }

    private static LessonMedia Media(double? seconds) =>
        new($"{Guid.NewGuid()}/{Guid.NewGuid()}.mp4", "video/mp4", 1234, "abcd", seconds, Now);

    private static AuditEntry AssertAudited(CatalogChange change, string action)
    {
        var entry = Assert.Single(change.Audit);
        Assert.Equal(action, entry.Action);
        Assert.Equal(Admin.Id, entry.UserId);
        Assert.Equal((Admin.Client.IpAddress, Admin.Client.UserAgent), (entry.IpAddress, entry.UserAgent));
        Assert.Equal(Admin.Id.ToString(), Metadata(entry)["actor_id"].GetString());
        return entry;
    }

    private static Dictionary<string, JsonElement> Metadata(AuditEntry entry) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(entry.MetadataJson)!;

    private static CatalogDecision<T>.Changed Changed<T>(CatalogDecision<T> decision) =>
        Assert.IsType<CatalogDecision<T>.Changed>(decision);

    private static Failure Refused<T>(CatalogDecision<T> decision) =>
        Assert.IsType<CatalogDecision<T>.Refused>(decision).Failure;

    private static void AssertInvalid<T>(CatalogDecision<T> decision, string field)
    {
        var failure = Refused(decision);
        Assert.Equal(ErrorCodes.ValidationError, failure.Code);
        Assert.Equal([field], failure.Errors!.Keys);
    }

    /// <summary>Snapshots hold immutable arrays, which compare by reference: compare their contents.</summary>
    private sealed class SnapshotComparer : IEqualityComparer<CatalogSnapshot>
    {
        public static readonly SnapshotComparer Instance = new();

        public bool Equals(CatalogSnapshot? x, CatalogSnapshot? y) =>
            x!.Version == y!.Version && x.Courses.SequenceEqual(y.Courses) && x.Lessons.SequenceEqual(y.Lessons);

        public int GetHashCode(CatalogSnapshot obj) => obj.Version.GetHashCode();
    }
}
