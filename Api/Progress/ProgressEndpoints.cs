using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Common;
using Learning.Progress;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Progress;

/// <summary>The caller's learning progress, read through the user's grain (which adds what it has not written yet).</summary>
public static class ProgressEndpoints
{
    public static IEndpointRouteBuilder MapProgressApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/progress").WithTags("Learning progress").RequireCallerCheckedByGrain();
        group.MapGet("", List)
            .Documented("Progress per lesson, most recent first; one course's with course_id",
                ErrorCodes.ValidationError, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapGet("/courses", Courses)
            .Documented("Per course with progress: completed lessons, percent and the next lesson",
                ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<LessonProgressView>>, ProblemHttpResult>> List(IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var query = new QueryReader(http.Request);
        var courseId = query.Guid("course_id");
        query.ThrowIfInvalid();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).ListProgress(caller, courseId);
        return result.ToHttp(http, rows => TypedResults.Ok(rows));
    }

    private static async Task<Results<Ok<IReadOnlyList<CourseProgressView>>, ProblemHttpResult>> Courses(IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).ListCourseProgress(caller);
        return result.ToHttp(http, rows => TypedResults.Ok(rows));
    }
}
