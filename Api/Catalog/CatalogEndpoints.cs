using Learning.Api.Http;
using Learning.Catalog;
using Learning.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Catalog;

public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Catalog");
        group.MapGet("/courses", ListCourses).Documented("Courses");
        group.MapGet("/courses/{id}", GetCourse).Documented("A course and its lessons", ErrorCodes.CourseNotFound);
        group.MapGet("/lessons/{id}", GetLesson).Documented("A lesson", ErrorCodes.LessonNotFound);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<CourseSummary>>> ListCourses(ICatalogSnapshots catalog, HttpContext http) =>
        TypedResults.Ok((await catalog.GetAsync(http.RequestAborted)).ListCourses(isAdmin: false));

    private static async Task<Results<Ok<Course>, ProblemHttpResult>> GetCourse(
        string id, ICatalogSnapshots catalog, CatalogSettings settings, HttpContext http) =>
        (await catalog.GetAsync(http.RequestAborted)).FindCourse(id, isAdmin: false, settings) is { } course
            ? TypedResults.Ok(course)
            : ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.CourseNotFound, "Course not found.");

    private static async Task<Results<Ok<Lesson>, ProblemHttpResult>> GetLesson(
        string id, ICatalogSnapshots catalog, CatalogSettings settings, HttpContext http) =>
        (await catalog.GetAsync(http.RequestAborted)).FindLesson(id, isAdmin: false, settings) is { } lesson
            ? TypedResults.Ok(lesson)
            : ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.LessonNotFound, "Lesson not found.");
}
