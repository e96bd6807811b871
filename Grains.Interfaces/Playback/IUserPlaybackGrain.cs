using Learning.Common;

namespace Learning.Playback;

/// <summary>The playback part of a user's grain: at most <c>Limits:MaxConcurrentStreams</c> live sessions.</summary>
[Alias("playback.IUserPlaybackGrain")]
public interface IUserPlaybackGrain : IGrainWithGuidKey
{
    [Alias("start")]
    Task<Result<PlaybackStarted>> StartPlayback(Caller caller, StartPlayback request);

    [Alias("heartbeat")]
    Task<Result<HeartbeatAccepted>> Heartbeat(Caller caller, string sessionToken, double currentTime);

    [Alias("end")]
    Task<Result<PlaybackEnded>> EndPlayback(Caller caller, string sessionToken, double finalTime);

    /// <summary>
    /// Whether a session may still stream. Asked by the media route, whose signed URL already proves the
    /// session and lesson belong to this user.
    /// </summary>
    [Alias("check-stream")]
    Task<Result<Done>> CheckStream(Guid sessionId, Guid lessonId);

    /// <summary>
    /// Ends this user's live sessions of a lesson an admin deleted (reason <c>ended</c>), each audited as
    /// <c>video_end</c> with the admin's id as <c>actor_id</c>. Called by the catalog grain.
    /// </summary>
    [Alias("end-lesson-sessions")]
    Task<Result<Done>> EndLessonSessions(Guid lessonId, Guid actorId, ClientInfo client);
}
