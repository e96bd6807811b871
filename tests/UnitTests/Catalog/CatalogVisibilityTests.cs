using Learning.Catalog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Learning.UnitTests.Catalog;

public sealed class CatalogVisibilityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lessons_of_an_unpublished_course_exist_only_for_admins()
    {
        var catalog = WithFirstCourseUnpublished();
        var hidden = catalog.LessonsOf(catalog.Courses[0].Id)[0];

        Assert.Null(catalog.FindVisibleLesson(hidden.Id, isAdmin: false));
        Assert.Null(catalog.FindLesson(hidden.Id.ToString(), isAdmin: false, Settings()));
        Assert.Null(catalog.FindCourse(hidden.CourseId.ToString(), isAdmin: false, Settings()));
        Assert.DoesNotContain(catalog.ListCourses(isAdmin: false), c => c.Id == hidden.CourseId);
        Assert.Equal(hidden, catalog.FindVisibleLesson(hidden.Id, isAdmin: true));
        Assert.Contains(catalog.ListCourses(isAdmin: true), c => c.Id == hidden.CourseId);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void Unknown_ids_are_not_found(string id)
    {
        var catalog = DemoCatalog.Create(Now);

        Assert.Null(catalog.FindCourse(id, isAdmin: true, Settings()));
        Assert.Null(catalog.FindLesson(id, isAdmin: true, Settings()));
    }

    [Fact]
    public void A_lesson_has_media_when_a_file_was_uploaded_or_placeholders_stand_in()
    {
        var lesson = DemoCatalog.Create(Now).Lessons[0];
        var uploaded = lesson with { Media = new LessonMedia($"{lesson.Id}/a.mp4", "video/mp4", 10, "00", null, Now) };

        Assert.False(Settings(placeholders: false).HasMedia(lesson));
        Assert.True(Settings(placeholders: false).HasMedia(uploaded));
        Assert.True(Settings(placeholders: true).HasMedia(lesson));
    }

    private static CatalogSnapshot WithFirstCourseUnpublished()
    {
        var demo = DemoCatalog.Create(Now);
        return new CatalogSnapshot(demo.Version, demo.Courses.SetItem(0, demo.Courses[0] with { Published = false }), demo.Lessons);
    }

    internal static CatalogSettings Settings(bool placeholders = false) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Media:ServePlaceholders"] = placeholders ? "true" : "false",
        }).Build(), new Production());

    private sealed class Production : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
