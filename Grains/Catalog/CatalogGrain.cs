using Learning.Common;
using Orleans.Concurrency;

namespace Learning.Catalog;

[StatelessWorker]
public sealed class CatalogGrain(CourseCatalog catalog) : Grain, ICatalogGrain
{
    public Task<IReadOnlyList<CourseSummary>> ListCourses() => Task.FromResult(catalog.Summaries);

    public Task<Result<Course>> GetCourse(string courseId) =>
        Task.FromResult<Result<Course>>(catalog.FindCourse(courseId) is { } course
            ? course
            : new Failure(ErrorCodes.CourseNotFound, "Course not found."));

    public Task<Result<Lesson>> GetLesson(string lessonId) =>
        Task.FromResult<Result<Lesson>>(catalog.FindLesson(lessonId) is { } lesson
            ? lesson
            : new Failure(ErrorCodes.LessonNotFound, "Lesson not found."));
}
