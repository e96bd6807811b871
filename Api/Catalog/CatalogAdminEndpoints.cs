using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Api.Media;
using Learning.Catalog;
using Learning.Common;
using Learning.ReadModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Learning.Api.Catalog;

/// <summary>
/// Catalog management: every change goes through the catalog grain (validated, stored and audited with the admin as
/// <c>actor_id</c>); reads come from this process's snapshot, refreshed after each change made here.
/// </summary>
public static class CatalogAdminEndpoints
{
    public const string Tag = "Catalog management";

    public static IEndpointRouteBuilder MapCatalogAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags(Tag).RequireAuthorization(AuthenticationSetup.AdminPolicy);
        group.MapGet("/courses", ListCourses)
            .Documented("Courses, published or not, newest first", ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([
                new("q", "Only courses whose title contains this text (case-insensitive)."),
                new("published", "Only published (true) or unpublished (false) courses.", JsonSchemaType.Boolean),
                .. EndpointDocs.Paging,
            ]);
        group.MapPost("/courses", CreateCourse)
            .Documented<NewCourseRequest>("Create a course (unpublished unless `published: true`)", ErrorCodes.Forbidden);
        group.MapGet("/courses/{id}", GetCourse)
            .Documented("A course with all its lessons and their media, published or not", ErrorCodes.Forbidden, ErrorCodes.CourseNotFound);
        group.MapPatch("/courses/{id}", UpdateCourse)
            .Documented<CoursePatchRequest>("Change a course's title, description or published flag",
                ErrorCodes.Forbidden, ErrorCodes.CourseNotFound);
        group.MapDelete("/courses/{id}", DeleteCourse)
            .Documented("Delete an empty course (unpublish one that has lessons)",
                ErrorCodes.Forbidden, ErrorCodes.CourseNotFound, ErrorCodes.CourseNotEmpty);
        group.MapPost("/courses/{id}/lessons", AddLesson)
            .Documented<NewLessonRequest>("Add a lesson to a course", ErrorCodes.Forbidden, ErrorCodes.CourseNotFound, ErrorCodes.OrderTaken);
        group.MapPut("/courses/{id}/lesson-order", ReorderLessons)
            .Documented<LessonOrderRequest>("Renumber a course's lessons 1…n in the given order, in one change",
                ErrorCodes.Forbidden, ErrorCodes.CourseNotFound);
        group.MapPatch("/lessons/{id}", UpdateLesson)
            .Documented<LessonPatchRequest>("Change a lesson's title, duration, order or free preview",
                ErrorCodes.Forbidden, ErrorCodes.LessonNotFound, ErrorCodes.OrderTaken);
        group.MapDelete("/lessons/{id}", DeleteLesson)
            .Documented("Delete a lesson: its live sessions end, its media files go", ErrorCodes.Forbidden, ErrorCodes.LessonNotFound);
        return app;
    }

    private static async Task<Ok<PageResponse<AdminCourse>>> ListCourses(ICatalogSnapshots catalog, HttpContext http)
    {
        var query = new QueryReader(http.Request);
        var text = query.Text("q");
        var published = query.Bool("published");
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        var snapshot = await catalog.GetAsync(http.RequestAborted);
        var page = CourseListing.Page(snapshot.Courses, text, published, limit, after);
        return TypedResults.Ok(new PageResponse<AdminCourse>(
            [.. page.Results.Select(c => AdminCourse.From(c, snapshot))], QueryReader.EncodeCursor(page.Next)));
    }

    private static async Task<Results<Created<AdminCourse>, ProblemHttpResult>> CreateCourse(
        JsonBody<NewCourseRequest> body, CatalogWriter writer, HttpContext http)
    {
        var admin = http.RequireCaller();
        var (result, snapshot) = await writer.ApplyAsync(g => g.CreateCourse(admin.UserId, admin.Client, body.Value.ToCommand()));
        return result.ToHttp(http, course => TypedResults.Created($"/api/admin/courses/{course.Id:D}", AdminCourse.From(course, snapshot)));
    }

    private static async Task<Results<Ok<AdminCourseDetail>, ProblemHttpResult>> GetCourse(
        string id, ICatalogSnapshots catalog, HttpContext http)
    {
        var snapshot = await catalog.GetAsync(http.RequestAborted);
        return Guid.TryParse(id, out var courseId) && snapshot.FindCourse(courseId) is { } course
            ? TypedResults.Ok(AdminCourseDetail.From(course, snapshot))
            : CourseNotFound();
    }

    private static async Task<Results<Ok<AdminCourse>, ProblemHttpResult>> UpdateCourse(
        string id, JsonBody<CoursePatchRequest> body, CatalogWriter writer, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var courseId))
        {
            return CourseNotFound();
        }

        var (result, snapshot) = await writer.ApplyAsync(g => g.UpdateCourse(admin.UserId, admin.Client, courseId, body.Value.ToCommand()));
        return result.ToHttp(http, course => TypedResults.Ok(AdminCourse.From(course, snapshot)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCourse(string id, CatalogWriter writer, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var courseId))
        {
            return CourseNotFound();
        }

        var (result, _) = await writer.ApplyAsync(g => g.DeleteCourse(admin.UserId, admin.Client, courseId));
        return result.ToHttp(http, _ => TypedResults.NoContent());
    }

    private static async Task<Results<Created<AdminLesson>, ProblemHttpResult>> AddLesson(
        string id, JsonBody<NewLessonRequest> body, CatalogWriter writer, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var courseId))
        {
            return CourseNotFound();
        }

        var (result, _) = await writer.ApplyAsync(g => g.AddLesson(admin.UserId, admin.Client, courseId, body.Value.ToCommand()));
        return result.ToHttp(http, lesson => TypedResults.Created($"/api/lessons/{lesson.Id:D}", AdminLesson.From(lesson)));
    }

    private static async Task<Results<Ok<IReadOnlyList<AdminLesson>>, ProblemHttpResult>> ReorderLessons(
        string id, JsonBody<LessonOrderRequest> body, CatalogWriter writer, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var courseId))
        {
            return CourseNotFound();
        }

        var (result, _) = await writer.ApplyAsync(g => g.ReorderLessons(admin.UserId, admin.Client, courseId, body.Value.ToIds()));
        return result.ToHttp(http, lessons => TypedResults.Ok<IReadOnlyList<AdminLesson>>([.. lessons.Select(AdminLesson.From)]));
    }

    private static async Task<Results<Ok<AdminLesson>, ProblemHttpResult>> UpdateLesson(
        string id, JsonBody<LessonPatchRequest> body, CatalogWriter writer, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var lessonId))
        {
            return LessonNotFound();
        }

        var (result, _) = await writer.ApplyAsync(g => g.UpdateLesson(admin.UserId, admin.Client, lessonId, body.Value.ToCommand()));
        return result.ToHttp(http, lesson => TypedResults.Ok(AdminLesson.From(lesson)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteLesson(
        string id, CatalogWriter writer, MediaStore media, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var lessonId))
        {
            return LessonNotFound();
        }

        var (result, _) = await writer.ApplyAsync(g => g.DeleteLesson(admin.UserId, admin.Client, lessonId));
        if (result.Succeeded)
        {
            // Its sessions have ended, so no URL may still name these files.
            media.DeleteLessonFiles(lessonId);
        }

        return result.ToHttp(http, _ => TypedResults.NoContent());
    }

    private static ProblemHttpResult CourseNotFound() =>
        ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.CourseNotFound, "Course not found.");

    private static ProblemHttpResult LessonNotFound() =>
        ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.LessonNotFound, "Lesson not found.");
}

/// <summary>The admin course listing over a snapshot: newest first like every admin listing, filtered, paged by (created_at, id).</summary>
public static class CourseListing
{
    public static Page<CatalogCourse> Page(
        IEnumerable<CatalogCourse> courses, string? text, bool? published, int limit, PageCursor? after) =>
        Paging.Cut(
            [.. courses
                .Where(c => text is null || c.Title.Contains(text, StringComparison.OrdinalIgnoreCase))
                .Where(c => published is null || c.Published == published)
                .Where(c => Paging.IsAfter(c.CreatedAt, c.Id, after))
                .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
                .Take(limit + 1)],
            limit,
            c => new PageCursor(c.CreatedAt, c.Id));
}
