using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

[Collection(ApiCollection.Name)]
public sealed class CatalogApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Courses_lists_four_courses_of_twelve_lessons()
    {
        var courses = (await _api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray().ToList();

        Assert.Equal(4, courses.Count);
        Assert.All(courses, c =>
        {
            Assert.Equal(12, c.GetProperty("lesson_count").GetInt32());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrEmpty(c.GetProperty("description").GetString()));
        });
    }

    [Fact]
    public async Task A_course_lists_its_lessons_in_order_and_each_lesson_resolves()
    {
        var courseId = (await _api.Get("/api/courses")).Json[0].GetProperty("id").GetString();

        var course = (await _api.Get($"/api/courses/{courseId}/")).AssertStatus(HttpStatusCode.OK).Json;
        var lessons = course.GetProperty("lessons").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 12), lessons.Select(l => l.GetProperty("order").GetInt32()));

        var first = lessons[0];
        var lesson = (await _api.Get($"/api/lessons/{first.GetProperty("id").GetString()}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(courseId, lesson.GetProperty("course_id").GetString());
        Assert.Equal(first.GetProperty("title").GetString(), lesson.GetProperty("title").GetString());
        Assert.InRange(lesson.GetProperty("duration_minutes").GetInt32(), 1, 180);
    }

    [Theory]
    [InlineData("/api/courses/00000000-0000-0000-0000-000000000001", "course_not_found")]
    [InlineData("/api/courses/not-a-uuid", "course_not_found")]
    [InlineData("/api/lessons/00000000-0000-0000-0000-000000000001", "lesson_not_found")]
    [InlineData("/api/lessons/42", "lesson_not_found")]
    public async Task Unknown_ids_are_404_with_their_code(string path, string error) =>
        (await _api.Get(path)).AssertProblem(HttpStatusCode.NotFound, error);
}
