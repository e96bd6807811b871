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

    private static async Task<Ok<IReadOnlyList<CourseSummary>>> ListCourses(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICatalogGrain>(0).ListCourses());

    private static async Task<Results<Ok<Course>, ProblemHttpResult>> GetCourse(
        string id, IGrainFactory grains, HttpContext http) =>
        (await grains.GetGrain<ICatalogGrain>(0).GetCourse(id)).ToHttp(http, TypedResults.Ok);

    private static async Task<Results<Ok<Lesson>, ProblemHttpResult>> GetLesson(
        string id, IGrainFactory grains, HttpContext http) =>
        (await grains.GetGrain<ICatalogGrain>(0).GetLesson(id)).ToHttp(http, TypedResults.Ok);
}
