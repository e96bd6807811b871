using System.Collections.Immutable;
using Learning.Common;
using Learning.Devices;

namespace Learning.Playback;

public abstract record StartDecision
{
    public sealed record Refused(Failure Failure) : StartDecision;

    /// <summary>Start a session after ending these (reason <c>replaced</c> or <c>taken_over</c>).</summary>
    public sealed record Start(IReadOnlyList<(PlaybackSession Session, string Reason)> Ending) : StartDecision;
}

/// <summary>The contract's playback rules: which sessions are live, who may start, how much watch time to credit.</summary>
public static class PlaybackRules
{
    /// <summary>Credit never exceeds the wall-clock time between beats plus this much (network jitter).</summary>
    public static readonly TimeSpan CreditSlack = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Closes sessions that stopped being live on their own (expired or stale) and keeps only the newest ended
    /// ones, so state stays bounded and a late heartbeat still learns the reason.
    /// </summary>
    public static ImmutableList<PlaybackSession> Settle(ImmutableList<PlaybackSession> sessions, DateTimeOffset now, PlaybackOptions options)
    {
        // Runs on every heartbeat: leave the list as it is (no allocation) unless a session has to close.
        if (sessions.All(s => s.IsEnded || IsLive(s, now, options)) && sessions.Count(s => s.IsEnded) <= options.EndedSessionsKept)
        {
            return sessions;
        }

        var settled = sessions.ConvertAll(s => s.IsEnded ? s : SettleOne(s, now, options));
        var ended = settled.Where(s => s.IsEnded).ToList();
        if (ended.Count <= options.EndedSessionsKept)
        {
            return settled;
        }

        return settled.RemoveRange(ended.OrderByDescending(s => s.EndedAt).Skip(options.EndedSessionsKept));
    }

    /// <summary>Live: not ended, not past its lifetime, and heard from within the heartbeat timeout.</summary>
    public static bool IsLive(PlaybackSession session, DateTimeOffset now, PlaybackOptions options) =>
        !session.IsEnded && now < session.ExpiresAt && now - session.LastHeartbeat <= options.HeartbeatTimeout;

    public static StartDecision DecideStart(
        IReadOnlyList<PlaybackSession> sessions, Device? device, bool takeover, DateTimeOffset now, LimitsOptions limits, PlaybackOptions options)
    {
        if (device is not { IsActive: true })
        {
            return new StartDecision.Refused(new Failure(ErrorCodes.DeviceNotActive, "This device is not registered or not active."));
        }

        var live = sessions.Where(s => IsLive(s, now, options)).ToList();
        // The device that already plays just switches lessons; its old session does not count against the limit.
        var replaced = live.Where(s => s.DeviceRecordId == device.Id).Select(s => (s, EndReasons.Replaced));
        var others = live.Where(s => s.DeviceRecordId != device.Id).OrderBy(s => s.StartedAt).ToList();
        var excess = others.Count - (limits.MaxConcurrentStreams - 1);
        if (excess > 0 && !takeover)
        {
            return new StartDecision.Refused(new Failure(ErrorCodes.SessionExists, "A video is already playing on another device.")
            {
                // The device a takeover would stop, so the client is told about the stream it would end.
                ActiveDeviceName = others[0].DeviceName,
            });
        }

        var takenOver = others.Take(Math.Max(0, excess)).Select(s => (s, EndReasons.TakenOver));
        return new StartDecision.Start(replaced.Concat(takenOver).ToList());
    }

    /// <summary>Forward movement of the position, capped by the wall-clock time since the previous beat plus slack.</summary>
    public static double Credit(double fromPosition, double toPosition, DateTimeOffset since, DateTimeOffset now)
    {
        var elapsed = Math.Max(0, (now - since).TotalSeconds);
        return Math.Clamp(toPosition - fromPosition, 0, elapsed + CreditSlack.TotalSeconds);
    }

    public static bool IsValidPosition(double position, PlaybackSession session, PlaybackOptions options) =>
        double.IsFinite(position) && position >= 0 && position <= session.LessonSeconds + options.PositionTolerance.TotalSeconds;

    public static PlaybackSession Beat(PlaybackSession session, double position, DateTimeOffset now) =>
        session with
        {
            WatchTimeSeconds = session.WatchTimeSeconds + Credit(session.Position, position, session.LastHeartbeat, now),
            Position = position,
            LastHeartbeat = now,
        };

    /// <summary>The client ends a live session: its last movement is credited like a beat.</summary>
    public static PlaybackSession Finish(PlaybackSession session, double finalPosition, DateTimeOffset now) =>
        session.IsEnded ? session : Close(Beat(session, finalPosition, now), now, EndReasons.Ended);

    /// <summary>Something else ends the session (replace, takeover, transfer, revoke, sign-out): nothing more is credited.</summary>
    public static PlaybackSession Close(PlaybackSession session, DateTimeOffset now, string reason) =>
        session.IsEnded ? session : session with { EndedAt = now, EndReason = reason };

    public static int ExpiresIn(PlaybackSession session, DateTimeOffset now) =>
        Math.Max(0, (int)Math.Ceiling((session.ExpiresAt - now).TotalSeconds));

    private static PlaybackSession SettleOne(PlaybackSession session, DateTimeOffset now, PlaybackOptions options)
    {
        var staleAt = session.LastHeartbeat + options.HeartbeatTimeout;
        if (now >= session.ExpiresAt && session.ExpiresAt <= staleAt)
        {
            return session with { EndedAt = session.ExpiresAt, EndReason = EndReasons.Expired };
        }

        return now > staleAt ? session with { EndedAt = staleAt, EndReason = EndReasons.Stale } : session;
    }
}
