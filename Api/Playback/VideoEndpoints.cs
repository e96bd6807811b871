using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Api.Media;
using Learning.Common;
using Learning.Playback;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Playback;

public static class VideoEndpoints
{
    public sealed record LessonReference(Guid Id, string Title, int DurationMinutes);

    public sealed record StartVideoResponse(
        string SessionToken, string VideoUrl, DateTimeOffset ExpiresAt, int HeartbeatIntervalSeconds, LessonReference Lesson);

    public sealed record HeartbeatResponse(string Status, int ExpiresIn);

    public sealed record EndVideoResponse(string Message, int WatchTimeSeconds);

    public static IEndpointRouteBuilder MapVideoApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/video").WithTags("Video sessions").RequireCallerCheckedByGrain();
        group.MapPost("/start", Start)
            .Documented<StartVideoRequest>("Start a playback session with a signed video URL",
                ErrorCodes.DeviceNotActive, ErrorCodes.SubscriptionRequired, ErrorCodes.LessonNotFound, ErrorCodes.MediaUnavailable, ErrorCodes.SessionExists,
                ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapPost("/heartbeat", Heartbeat)
            .AcceptRecentlyExpiredToken()
            .Documented<HeartbeatRequest>("Keep a session alive and report the position",
                ErrorCodes.SessionNotFound, ErrorCodes.SessionExpired,
                ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapPost("/end", End)
            .AcceptRecentlyExpiredToken()
            .Documented<EndVideoRequest>("End a session; the total watch time",
                ErrorCodes.SessionNotFound, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        return app;
    }

    private static async Task<Results<Created<StartVideoResponse>, ProblemHttpResult>> Start(
        JsonBody<StartVideoRequest> body, IGrainFactory grains, MediaUrlSigner signer, HttpContext http)
    {
        var caller = http.RequireCaller();
        var request = body.Value;
        var result = await grains.GetGrain<IUserGrain>(caller.UserId)
            .StartPlayback(caller, new StartPlayback(request.LessonId!, request.DeviceId!, request.Takeover ?? false));
        return result.ToHttp(http, started => TypedResults.Created((string?)null, new StartVideoResponse(
            started.SessionToken,
            signer.Sign(http.Request, started.LessonId, started.SessionId, caller.UserId, started.ExpiresAt, started.MediaFile),
            started.ExpiresAt,
            started.HeartbeatIntervalSeconds,
            new LessonReference(started.LessonId, started.LessonTitle, started.DurationMinutes))));
    }

    private static async Task<Results<Ok<HeartbeatResponse>, ProblemHttpResult>> Heartbeat(
        JsonBody<HeartbeatRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId)
            .Heartbeat(caller, body.Value.SessionToken!, body.Value.CurrentTime!.Value);
        return result.ToHttp(http, accepted => TypedResults.Ok(new HeartbeatResponse("ok", accepted.ExpiresIn)));
    }

    private static async Task<Results<Ok<EndVideoResponse>, ProblemHttpResult>> End(
        JsonBody<EndVideoRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId)
            .EndPlayback(caller, body.Value.SessionToken!, body.Value.FinalTime!.Value);
        return result.ToHttp(http, ended =>
            TypedResults.Ok(new EndVideoResponse("Session ended successfully", ended.WatchTimeSeconds)));
    }
}
