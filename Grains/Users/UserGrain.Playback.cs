using System.Buffers.Text;
using System.Security.Cryptography;
using Learning.Accounts;
using Learning.Audit;
using Learning.Catalog;
using Learning.Common;
using Learning.Hosting;
using Learning.Playback;
using Microsoft.Extensions.Logging;

namespace Learning.Users;

public sealed partial class UserGrain
{
    private static readonly Failure SessionNotFound = new(ErrorCodes.SessionNotFound, "Session not found.");

    private static readonly Failure SubscriptionRequired = new(ErrorCodes.SubscriptionRequired,
        "This lesson needs a subscription; free previews play without one.");

    private IGrainTimer? _heartbeatFlush;
    private bool _heartbeatsUnsaved;

    public async Task<Result<PlaybackStarted>> StartPlayback(Caller caller, StartPlayback request)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        if (RefuseUnverifiedEmail() is { } unverified)
        {
            return unverified;
        }

        // Lessons of unpublished courses exist only for admins; the role is the account's, as stored here.
        var isAdmin = State.Account?.Role == Role.Admin;
        if (!Guid.TryParse(request.LessonId, out var lessonId) || (await catalog.GetAsync()).FindVisibleLesson(lessonId, isAdmin) is not { } lesson)
        {
            return new Failure(ErrorCodes.LessonNotFound, "Lesson not found.");
        }

        // 404, not 409: the original clients read every 409 from start as "playing on another device".
        if (!catalogSettings.HasMedia(lesson))
        {
            return new Failure(ErrorCodes.MediaUnavailable, "This lesson has no video yet.");
        }

        var now = Now;
        SettleSessions(now);
        // Decided in this same step as the start, so no event or deadline can slip between the check and the session.
        var lostAccess = EndSessionsWithoutAccess(now, caller.Client, decideAgain: true);
        if (!lesson.FreePreview && now >= _accessHoldsUntil)
        {
            if (lostAccess)
            {
                await CommitAsync();
            }

            metrics.SessionStarts.Add(1, BusinessMetrics.Outcome(ErrorCodes.SubscriptionRequired));
            return SubscriptionRequired;
        }

        var device = State.Devices.Find(d => d.DeviceId == request.DeviceId);
        switch (PlaybackRules.DecideStart(State.Sessions, device, request.Takeover, now, Limits, Playback))
        {
            case StartDecision.Refused { Failure.Code: ErrorCodes.SessionExists } refusal:
                // Operators look for account sharing here: which device tried, which one plays, and what.
                Audit(AuditActions.VideoStartRefused, caller.Client, AuditMetadata.Of(
                    ("device_id", device!.DeviceId), ("device_name", device.DeviceName), ("playing_device_name", refusal.Failure.ActiveDeviceName),
                    ("lesson_id", lesson.Id), ("lesson_title", lesson.Title)));
                await CommitAsync();
                metrics.SessionStarts.Add(1, BusinessMetrics.Outcome("conflict"));
                return refusal.Failure;

            case StartDecision.Refused(var failure):
                if (lostAccess)
                {
                    await CommitAsync();
                }

                metrics.SessionStarts.Add(1, BusinessMetrics.Outcome(failure.Code));
                return failure;

            case StartDecision.Start(var ending):
                foreach (var (session, reason) in ending)
                {
                    EndSession(session, reason, caller.Client);
                    if (reason == EndReasons.TakenOver)
                    {
                        metrics.Takeovers.Add(1);
                        Audit(AuditActions.SessionTakeover, caller.Client, AuditMetadata.Of(
                            ("taken_over_session_id", session.Id), ("taken_over_device_id", session.DeviceId),
                            ("taken_over_device_name", session.DeviceName), ("device_id", device!.DeviceId), ("device_name", device.DeviceName)));
                    }
                }

                break;
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var started = new PlaybackSession(
            Guid.NewGuid(), TokenHasher.Hash(token), device!.Id, device.DeviceId, device.DeviceName, lesson.Id, lesson.Title,
            LessonLength.Seconds(lesson), now, now + Playback.SessionLifetime, now, Position: 0, WatchTimeSeconds: 0, EndedAt: null, EndReason: null)
        {
            FamilyId = caller.FamilyId,
            FreePreview = lesson.FreePreview,
        };
        State.Sessions = State.Sessions.Add(started);
        State.Devices = State.Devices.Replace(device, device with { LastAccessed = now });
        Audit(AuditActions.VideoStart, caller.Client, AuditMetadata.Of(
            ("session_id", started.Id), ("lesson_id", lesson.Id), ("lesson_title", lesson.Title),
            ("device_id", device.DeviceId), ("device_name", device.DeviceName)));
        await CommitAsync();
        if (!started.FreePreview)
        {
            await ArmAccessDeadlineAsync(mayClear: false);
        }

        metrics.SessionStarts.Add(1, BusinessMetrics.Outcome("started"));
        return new PlaybackStarted(started.Id, token, started.ExpiresAt, (int)Playback.HeartbeatInterval.TotalSeconds,
            lesson.Id, lesson.Title, lesson.DurationMinutes, lesson.Media?.FileName);
    }

    public Task<Result<HeartbeatAccepted>> Heartbeat(Caller caller, string sessionToken, double currentTime)
    {
        if (Authorize(caller) is { } refused)
        {
            return Task.FromResult<Result<HeartbeatAccepted>>(refused);
        }

        var now = Now;
        if (AccessNeedsChecking(now))
        {
            return HeartbeatAfterAccessCheckAsync(caller, sessionToken, currentTime, now);
        }

        return Task.FromResult(BeatByToken(sessionToken, currentTime, now));
    }

    /// <summary>The rare heartbeat that finds the cached end of access passed: decide again, end what lost access, then beat.</summary>
    private async Task<Result<HeartbeatAccepted>> HeartbeatAfterAccessCheckAsync(Caller caller, string sessionToken, double currentTime, DateTimeOffset now)
    {
        await EnforceAccessAsync(now, caller.Client);
        return BeatByToken(sessionToken, currentTime, now);
    }

    private Result<HeartbeatAccepted> BeatByToken(string sessionToken, double currentTime, DateTimeOffset now)
    {
        SettleSessions(now);
        var result = FindSession(sessionToken) switch
        {
            (_, { } ended) => Expired(ended),
            ({ } session, _) when !PlaybackRules.IsValidPosition(currentTime, session, Playback) => InvalidPosition("current_time", session),
            ({ } session, _) => Beat(session, currentTime, now),
            _ => SessionNotFound,
        };
        metrics.Heartbeats.Add(1, BusinessMetrics.Outcome(result.Error switch
        {
            null => "ok",
            { Code: ErrorCodes.SessionExpired } => "gone",
            var error => error.Code,
        }));
        ReportOpenSessions();
        return result;
    }

    public async Task<Result<PlaybackEnded>> EndPlayback(Caller caller, string sessionToken, double finalTime)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var now = Now;
        SettleSessions(now);
        switch (FindSession(sessionToken))
        {
            case (_, { } ended):
                return new PlaybackEnded(WholeSeconds(ended.WatchTimeSeconds));
            case ({ } session, _) when !PlaybackRules.IsValidPosition(finalTime, session, Playback):
                return InvalidPosition("final_time", session);
            case ({ } session, _):
                var finished = PlaybackRules.Finish(session, finalTime, now);
                State.Sessions = State.Sessions.Replace(session, finished);
                AuditEnd(finished, caller.Client);
                await CommitAsync();
                return new PlaybackEnded(WholeSeconds(finished.WatchTimeSeconds));
            default:
                return SessionNotFound;
        }
    }

    public async Task<Result<Done>> CheckStream(Guid sessionId, Guid lessonId)
    {
        var now = Now;
        if (AccessNeedsChecking(now))
        {
            await EnforceAccessAsync(now, ClientInfo.Internal);
        }

        SettleSessions(now);
        return PlaybackRules.FindById(State.Sessions, State.EndedSessions, sessionId) switch
        {
            ({ } session, _) when session.LessonId == lessonId => Done.Instance,
            (_, { } ended) => Expired(ended),
            // Tombstones are bounded, so a signed URL can outlive its session's record; it is over either way.
            _ => new Failure(ErrorCodes.SessionExpired, "This playback session has ended.") { Reason = EndReasons.Ended },
        };
    }

    public async Task<Result<Done>> EndLessonSessions(Guid lessonId, Guid actorId, ClientInfo client)
    {
        SettleSessions(Now);
        if (!State.Sessions.Any(s => !s.IsEnded && s.LessonId == lessonId))
        {
            return Done.Instance;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        EndSessions(s => s.LessonId == lessonId, EndReasons.Ended, client, actorId);
        await CommitAsync();
        return Done.Instance;
    }

    private Result<HeartbeatAccepted> Beat(PlaybackSession session, double position, DateTimeOffset now)
    {
        var beaten = PlaybackRules.Beat(session, position, now);
        State.Sessions = State.Sessions.Replace(session, beaten);
        ScheduleHeartbeatFlush();
        return new HeartbeatAccepted(PlaybackRules.ExpiresIn(beaten, now));
    }

    /// <summary>
    /// Heartbeats are the hot path and are not written one by one (see <see cref="PlaybackOptions.HeartbeatFlushInterval"/>);
    /// a timer stores them in one write, and deactivation stores what is left.
    /// </summary>
    private void ScheduleHeartbeatFlush()
    {
        _heartbeatsUnsaved = true;
        _heartbeatFlush ??= this.RegisterGrainTimer(
            FlushHeartbeatsAsync,
            new GrainTimerCreationOptions(Playback.HeartbeatFlushInterval, Playback.HeartbeatFlushInterval) { KeepAlive = false });
    }

    private async Task FlushHeartbeatsAsync(CancellationToken cancellationToken)
    {
        if (!_heartbeatsUnsaved)
        {
            return;
        }

        try
        {
            // Unlike a command's change, acknowledged heartbeats stay in memory when storing fails: the next tick retries.
            await StoreAsync();
            await PublishAsync();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Storing heartbeats of user {UserId} failed; retrying on the next tick", UserId);
        }
    }

    private void SettleSessions(DateTimeOffset now) => State.Sessions = PlaybackRules.Settle(State.Sessions, now, Playback);

    /// <summary>Ends every live session on these devices, as a transfer, revoke or deactivation requires.</summary>
    private void EndSessionsOn(IEnumerable<Guid> deviceRecordIds, string reason, ClientInfo client)
    {
        var devices = deviceRecordIds.ToHashSet();
        EndSessions(s => devices.Contains(s.DeviceRecordId), reason, client);
    }

    /// <summary>Ends the live sessions <paramref name="which"/> picks; <paramref name="actorId"/> names the admin who ended them.</summary>
    private void EndSessions(Func<PlaybackSession, bool> which, string reason, ClientInfo client, Guid? actorId = null)
    {
        SettleSessions(Now);
        foreach (var session in State.Sessions.Where(s => !s.IsEnded && which(s)).ToList())
        {
            EndSession(session, reason, client, actorId);
        }
    }

    /// <summary>
    /// Sessions end with the sign-in that started them: once its refresh family is revoked (or forgotten), a session
    /// ends with reason <c>ended</c>, so its heartbeats and its media URL answer <c>410</c>.
    /// </summary>
    private void EndSessionsOfRevokedFamilies(ClientInfo client) =>
        EndSessions(s => s.FamilyId != Guid.Empty && !RefreshRules.IsLive(State.RefreshFamilies.GetValueOrDefault(s.FamilyId)),
            EndReasons.Ended, client);

    private void EndSession(PlaybackSession session, string reason, ClientInfo client, Guid? actorId = null)
    {
        var closed = PlaybackRules.Close(session, Now, reason);
        State.Sessions = State.Sessions.Replace(session, closed);
        AuditEnd(closed, client, actorId);
    }

    private void AuditEnd(PlaybackSession session, ClientInfo client, Guid? actorId = null) =>
        Audit(AuditActions.VideoEnd, client, AuditMetadata.Of(
            ("session_id", session.Id), ("lesson_id", session.LessonId), ("lesson_title", session.LessonTitle),
            ("device_id", session.DeviceId), ("device_name", session.DeviceName),
            ("reason", session.EndReason), ("watch_time_seconds", WholeSeconds(session.WatchTimeSeconds)), ("actor_id", actorId)));

    private (PlaybackSession? Open, SessionTombstone? Ended) FindSession(string token) =>
        PlaybackRules.FindByToken(State.Sessions, State.EndedSessions, TokenHasher.Hash(token));

    private static Failure Expired(SessionTombstone ended) =>
        new(ErrorCodes.SessionExpired, "This playback session is no longer live; start a new one.") { Reason = ended.Reason };

    private Failure InvalidPosition(string field, PlaybackSession session) =>
        Failure.Validation(field, $"Must be a number of seconds from 0 to {session.LessonSeconds + (int)Playback.PositionTolerance.TotalSeconds}.");

    private static int WholeSeconds(double seconds) => (int)Math.Round(seconds, MidpointRounding.AwayFromZero);
}
