using Learning.Api.Http;
using Learning.Catalog;

namespace Learning.Api.Catalog;

public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var courses = app.MapGroup("/api").WithTags("Catalog");
        courses.MapGet("/courses", async (IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<ICatalogGrain>(0).ListCourses()));
        courses.MapGet("/courses/{id}", async (string id, IGrainFactory grains, HttpContext http) =>
            (await grains.GetGrain<ICatalogGrain>(0).GetCourse(id)).ToHttp(http, TypedResults.Ok));
        courses.MapGet("/lessons/{id}", async (string id, IGrainFactory grains, HttpContext http) =>
            (await grains.GetGrain<ICatalogGrain>(0).GetLesson(id)).ToHttp(http, TypedResults.Ok));
        return app;
    }
}
