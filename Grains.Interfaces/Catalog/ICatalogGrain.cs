using Learning.Common;

namespace Learning.Catalog;

/// <summary>Read-only access to courses and lessons. Ids arrive as the client sent them; a malformed id is not found.</summary>
[Alias("catalog.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    [Alias("courses")]
    Task<IReadOnlyList<CourseSummary>> ListCourses();

    [Alias("course")]
    Task<Result<Course>> GetCourse(string courseId);

    [Alias("lesson")]
    Task<Result<Lesson>> GetLesson(string lessonId);
}
