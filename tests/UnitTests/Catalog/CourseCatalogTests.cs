using Learning.Catalog;

namespace Learning.UnitTests.Catalog;

public sealed class CourseCatalogTests
{
    [Fact]
    public void The_catalog_has_four_courses_of_twelve_ordered_lessons()
    {
        var catalog = new CourseCatalog();

        Assert.Equal(4, catalog.Summaries.Count);
        Assert.All(catalog.Summaries, summary =>
        {
            var course = catalog.FindCourse(summary.Id.ToString())!;
            Assert.Equal(12, summary.LessonCount);
            Assert.Equal(Enumerable.Range(1, 12), course.Lessons.Select(l => l.Order));
            Assert.All(course.Lessons, l => Assert.Equal(course.Id, catalog.FindLesson(l.Id)!.CourseId));
        });
        var lessonIds = catalog.Summaries.SelectMany(s => catalog.FindCourse(s.Id.ToString())!.Lessons).Select(l => l.Id);
        Assert.Equal(48, lessonIds.Distinct().Count());
    }

    [Fact]
    public void Ids_are_the_same_in_every_process() =>
        Assert.Equal(new CourseCatalog().Summaries.Select(c => c.Id), new CourseCatalog().Summaries.Select(c => c.Id));

    [Fact]
    public void Stable_ids_are_version_5_uuids() => Assert.Equal(5, StableId.From("course:1").Version);

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void Unknown_ids_are_not_found(string id)
    {
        var catalog = new CourseCatalog();
        Assert.Null(catalog.FindCourse(id));
        Assert.Null(catalog.FindLesson(id));
    }
}
