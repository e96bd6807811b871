using Learning.Catalog;

namespace Learning.UnitTests.Catalog;

public sealed class DemoCatalogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_demo_catalog_has_four_published_courses_of_twelve_lessons_ordered_1_to_12()
    {
        var catalog = DemoCatalog.Create(Now);

        Assert.Equal(4, catalog.Courses.Length);
        Assert.All(catalog.Courses, course =>
        {
            Assert.True(course.Published);
            Assert.Equal(Enumerable.Range(1, 12), catalog.LessonsOf(course.Id).Select(l => l.Order));
        });
        Assert.Equal(48, catalog.Lessons.Select(l => l.Id).Distinct().Count());
    }

    [Fact]
    public void Only_the_first_lesson_of_each_course_is_a_free_preview()
    {
        var catalog = DemoCatalog.Create(Now);

        Assert.All(catalog.Lessons, lesson => Assert.Equal(lesson.Order == 1, lesson.FreePreview));
    }

    [Fact]
    public void Ids_are_the_ones_the_compiled_catalog_handed_out()
    {
        var catalog = DemoCatalog.Create(Now);

        // Clients and links saved before the catalog became data must keep working.
        Assert.Equal(new Guid("4a1be843-6766-5760-8af3-5e8859cadb4f"), catalog.Courses[0].Id);
        Assert.Equal(new Guid("dc8a2afa-77b0-5945-beb4-6010dd4c372b"), catalog.LessonsOf(catalog.Courses[0].Id)[0].Id);
        Assert.Equal(catalog.Lessons.Select(l => l.Id), DemoCatalog.Create(Now.AddDays(1)).Lessons.Select(l => l.Id));
    }

    [Fact]
    public void Stable_ids_are_version_5_uuids() => Assert.Equal(5, StableId.From("course:1").Version);

    [Fact]
    public void Demo_lessons_have_no_file_until_one_is_uploaded() =>
        Assert.All(DemoCatalog.Create(Now).Lessons, lesson => Assert.Null(lesson.Media));
}
