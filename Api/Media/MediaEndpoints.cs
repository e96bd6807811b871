using Learning.Accounts;
using Learning.Api.Http;
using Learning.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Media;

public static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        // No bearer token: video players cannot send one. The signed URL is the credential. HEAD (players and CDNs
        // probe with it) runs the same checks and sends the same headers; the file results send no body for it.
        app.MapMethods("/media/lessons/{lessonId}", [HttpMethods.Get, HttpMethods.Head], Serve)
            .WithTags("Media")
            // File results carry no response metadata of their own.
            .Produces(StatusCodes.Status200OK, typeof(Stream), MediaFormat.Mp4.ContentType, MediaFormat.WebM.ContentType)
            .Produces(StatusCodes.Status206PartialContent, typeof(Stream), MediaFormat.Mp4.ContentType, MediaFormat.WebM.ContentType)
            .Produces(StatusCodes.Status416RangeNotSatisfiable)
            .Documented("A lesson's video, with range requests (signed URL from /api/video/start)",
                ErrorCodes.Forbidden, ErrorCodes.SessionExpired, ErrorCodes.NotFound);
        return app;
    }

    private static async Task<Results<PhysicalFileHttpResult, FileContentHttpResult, ProblemHttpResult>> Serve(
        string lessonId, string? session, string? user, string? exp, string? kid, string? file, string? sig,
        MediaUrlSigner signer, MediaStore store, IGrainFactory grains, HttpContext http)
    {
        var (grant, problem) = signer.Verify(lessonId, session, user, exp, kid, file, sig);
        if (grant is null)
        {
            return ApiProblem.Create(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, problem!);
        }

        var live = await grains.GetGrain<IUserGrain>(grant.UserId).CheckStream(grant.SessionId, grant.LessonId);
        if (live.Error is { } failure)
        {
            return ApiProblem.From(failure, http);
        }

        // Exactly the file the session started with: uploads never overwrite a name, so every range request of this
        // session reads the same bytes however often the lesson's file is replaced meanwhile.
        if (grant.MediaFile is { } name)
        {
            return store.FindFile(name) is { } path
                ? TypedResults.PhysicalFile(path, MediaFormat.OfFileName(name).ContentType, enableRangeProcessing: true)
                : NoMedia();
        }

        return store.Placeholder is { } placeholder
            ? TypedResults.File(placeholder, PlaceholderVideo.Format.ContentType, enableRangeProcessing: true)
            : NoMedia();
    }

    private static ProblemHttpResult NoMedia() =>
        ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "This lesson has no media file.");
}
