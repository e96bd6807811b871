using Learning.Common;
using Learning.Api.Http;
using Learning.Catalog;

namespace Learning.Api.Catalog;

public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var courses = app.MapGroup("/api").WithTags("Catalog");
        courses.MapGet("/courses", async (IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<ICatalogGrain>(0).ListCourses())).Documented("Courses");
        courses.MapGet("/courses/{id}", async (string id, IGrainFactory grains, HttpContext http) =>
            (await grains.GetGrain<ICatalogGrain>(0).GetCourse(id)).ToHttp(http, TypedResults.Ok)).Documented("A course and its lessons", ErrorCodes.CourseNotFound).Produces<Course>();
        courses.MapGet("/lessons/{id}", async (string id, IGrainFactory grains, HttpContext http) =>
            (await grains.GetGrain<ICatalogGrain>(0).GetLesson(id)).ToHttp(http, TypedResults.Ok)).Documented("A lesson", ErrorCodes.LessonNotFound).Produces<Lesson>();
        return app;
    }
}
