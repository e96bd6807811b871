using Learning.Api.Http;
using Learning.Api.Progress;
using Learning.Catalog;
using Learning.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Catalog;

/// <summary>
/// The public catalog, answered from this process's snapshot (no grain call, no storage round trip), with an
/// <c>ETag</c> and <c>304</c> on <c>If-None-Match</c>. An admin's bearer token also shows unpublished courses. A signed-in
/// caller's course detail also carries their progress per lesson, answered privately and never as 304.
/// </summary>
public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Catalog");
        group.MapGet("/courses", ListCourses)
            .Produces(StatusCodes.Status304NotModified)
            .Documented("Published courses (ETag; 304 on If-None-Match)");
        group.MapGet("/courses/{id}", GetCourse)
            .Produces(StatusCodes.Status304NotModified)
            .Documented("A course and its lessons (ETag; 304 on If-None-Match); with a valid bearer, the caller's progress per lesson", ErrorCodes.CourseNotFound);
        group.MapGet("/lessons/{id}", GetLesson)
            .Produces(StatusCodes.Status304NotModified)
            .Documented("A lesson (ETag; 304 on If-None-Match)", ErrorCodes.LessonNotFound);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<CourseSummary>>, StatusCodeHttpResult>> ListCourses(
        ICatalogSnapshots catalog, IGrainFactory grains, HttpContext http)
    {
        var (snapshot, isAdmin) = await ReadAsync(catalog, grains, http);
        return CatalogHttpCache.IsNotModified(http, snapshot, isAdmin)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(snapshot.ListCourses(isAdmin));
    }

    private static async Task<Results<Ok<Course>, Ok<CourseWithProgress>, StatusCodeHttpResult, ProblemHttpResult>> GetCourse(
        string id, ICatalogSnapshots catalog, IGrainFactory grains, CatalogSettings settings, HttpContext http)
    {
        var (snapshot, isAdmin) = await ReadAsync(catalog, grains, http);
        if (snapshot.FindCourse(id, isAdmin, settings) is not { } course)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.CourseNotFound, "Course not found.");
        }

        if (await CourseProgressReader.ReadAsync(http, grains, course.Id) is { } progress)
        {
            CatalogHttpCache.MarkPersonal(http);
            return TypedResults.Ok(CourseWithProgress.Of(course, progress));
        }

        return CatalogHttpCache.IsNotModified(http, snapshot, isAdmin)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(course);
    }

    private static async Task<Results<Ok<Lesson>, StatusCodeHttpResult, ProblemHttpResult>> GetLesson(
        string id, ICatalogSnapshots catalog, IGrainFactory grains, CatalogSettings settings, HttpContext http)
    {
        var (snapshot, isAdmin) = await ReadAsync(catalog, grains, http);
        if (snapshot.FindLesson(id, isAdmin, settings) is not { } lesson)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.LessonNotFound, "Lesson not found.");
        }

        return CatalogHttpCache.IsNotModified(http, snapshot, isAdmin)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(lesson);
    }

    private static async Task<(CatalogSnapshot Snapshot, bool IsAdmin)> ReadAsync(
        ICatalogSnapshots catalog, IGrainFactory grains, HttpContext http) =>
        (await catalog.GetAsync(http.RequestAborted), await CatalogViewer.IsAdminAsync(http, grains));
}
