using Learning.Accounts;
using Learning.Api.Http;
using Learning.Common;
using Microsoft.Extensions.Options;

namespace Learning.Api.Media;

public static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        // No bearer token: video players cannot send one. The signed URL is the credential.
        app.MapGet("/media/lessons/{lessonId}", Serve).WithTags("Media")
            .Documented("A lesson's video, with range requests (signed URL from /api/video/start)", ErrorCodes.Forbidden, ErrorCodes.SessionExpired, ErrorCodes.NotFound);
        return app;
    }

    private static async Task<IResult> Serve(
        string lessonId, string? session, string? user, string? exp, string? sig,
        MediaUrlSigner signer, IGrainFactory grains, IOptions<MediaOptions> options, IHostEnvironment environment, HttpContext http)
    {
        var (grant, problem) = signer.Verify(lessonId, session, user, exp, sig);
        if (grant is null)
        {
            return ApiProblem.Create(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, problem!);
        }

        var live = await grains.GetGrain<IUserGrain>(grant.UserId).CheckStream(grant.SessionId, grant.LessonId);
        if (live.Error is { } failure)
        {
            return ApiProblem.From(failure, http);
        }

        var media = options.Value;
        var file = Path.Combine(Path.GetFullPath(media.Root, environment.ContentRootPath), $"{grant.LessonId:D}.mp4");
        if (File.Exists(file))
        {
            return TypedResults.PhysicalFile(file, "video/mp4", enableRangeProcessing: true);
        }

        return media.ServePlaceholders ?? environment.IsDevelopment()
            ? TypedResults.File(PlaceholderVideo.Bytes, "video/mp4", enableRangeProcessing: true)
            : ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "This lesson has no media file.");
    }
}
