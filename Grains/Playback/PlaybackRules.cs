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
    /// <summary>
    /// How far a session's credit may run ahead of the wall clock (network jitter, a start that reached the server late):
    /// one allowance per session, not per beat. Beats that credit less than the time that passed earn it back, up to
    /// this much and never more, so a pause banks nothing for fake beats after it.
    /// </summary>
    public static readonly TimeSpan CreditSlack = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Closes sessions that stopped being live on their own (expired or stale), as of the moment they stopped. Ended
    /// sessions stay in the list until the read model has their final state (<see cref="Retire"/>).
    /// </summary>
    public static ImmutableList<PlaybackSession> Settle(ImmutableList<PlaybackSession> sessions, DateTimeOffset now, PlaybackOptions options)
    {
        var window = LiveSessionWindow.At(now, options);
        // Runs on every heartbeat: leave the list as it is unless a session has to close. A plain loop over the
        // list's struct enumerator, because LINQ's All would allocate a closure and a boxed enumerator per beat.
        foreach (var session in sessions)
        {
            if (!session.IsEnded && !window.IsLive(session))
            {
                return sessions.ConvertAll(s => s.IsEnded ? s : SettleOne(s, now, options));
            }
        }

        return sessions;
    }

    /// <summary>
    /// Once the read model has received the final state of ended sessions (those ended in <paramref name="delivered"/>),
    /// they leave the session list and are remembered as tombstones only. Tombstones are forgotten
    /// <see cref="PlaybackOptions.SessionLifetime"/> after their session ended, and beyond the newest
    /// <see cref="PlaybackOptions.EndedSessionsKept"/>, so state stays small and bounded.
    /// </summary>
    public static (ImmutableList<PlaybackSession> Sessions, ImmutableList<SessionTombstone> Tombstones) Retire(
        ImmutableList<PlaybackSession> sessions, ImmutableList<SessionTombstone> tombstones, IEnumerable<PlaybackSession> delivered,
        DateTimeOffset now, PlaybackOptions options)
    {
        var deliveredEnded = delivered.Where(s => s.IsEnded).Select(s => s.Id).ToHashSet();
        var retiring = sessions.Where(s => s.IsEnded && deliveredEnded.Contains(s.Id)).ToList();
        var forgetBefore = now - options.SessionLifetime;
        if (retiring.Count == 0 && tombstones.Count <= options.EndedSessionsKept && tombstones.All(t => t.EndedAt > forgetBefore))
        {
            return (sessions, tombstones);
        }

        var kept = tombstones.Concat(retiring.Select(SessionTombstone.Of))
            .Where(t => t.EndedAt > forgetBefore)
            .OrderByDescending(t => t.EndedAt)
            .Take(options.EndedSessionsKept);
        return (sessions.RemoveRange(retiring), [.. kept]);
    }

    /// <summary>
    /// The session a token was issued for: still open (<c>Open</c>), or ended and remembered (<c>Ended</c>: in the
    /// list until delivered, as a tombstone after). Both null: a token this user never had, or one long forgotten.
    /// </summary>
    /// <remarks>
    /// Every heartbeat runs this: loops over the lists' struct enumerators, not <see cref="Find"/>'s delegates and
    /// boxed enumerators, so it allocates nothing.
    /// </remarks>
    public static (PlaybackSession? Open, SessionTombstone? Ended) FindByToken(
        ImmutableList<PlaybackSession> sessions, ImmutableList<SessionTombstone> tombstones, string tokenHash)
    {
        foreach (var session in sessions)
        {
            if (session.TokenHash == tokenHash)
            {
                return session.IsEnded ? (null, SessionTombstone.Of(session)) : (session, null);
            }
        }

        foreach (var tombstone in tombstones)
        {
            if (tombstone.TokenHash == tokenHash)
            {
                return (null, tombstone);
            }
        }

        return (null, null);
    }

    /// <summary>As <see cref="FindByToken"/>, by the session's id (the media route knows the session by id).</summary>
    public static (PlaybackSession? Open, SessionTombstone? Ended) FindById(
        IReadOnlyList<PlaybackSession> sessions, IReadOnlyList<SessionTombstone> tombstones, Guid sessionId) =>
        Find(sessions, tombstones, s => s.Id == sessionId, t => t.SessionId == sessionId);

    /// <summary>Live: see <see cref="LiveSessionWindow"/>, the one definition.</summary>
    public static bool IsLive(PlaybackSession session, DateTimeOffset now, PlaybackOptions options) =>
        LiveSessionWindow.At(now, options).IsLive(session);

    public static StartDecision DecideStart(
        IReadOnlyList<PlaybackSession> sessions, Device? device, bool takeover, DateTimeOffset now, LimitsOptions limits, PlaybackOptions options)
    {
        if (device is not { IsActive: true })
        {
            return new StartDecision.Refused(new Failure(ErrorCodes.DeviceNotActive, "This device is not registered or not active."));
        }

        var window = LiveSessionWindow.At(now, options);
        var live = sessions.Where(window.IsLive).ToList();
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

    /// <summary>
    /// The most a beat (or the end) at <paramref name="now"/> may credit: the wall-clock time since the previous beat plus
    /// what the session has left of its one <see cref="CreditSlack"/>, and never so much that its total passes the
    /// wall-clock time since its start plus <see cref="CreditSlack"/>. Seeks and fake beats, however fast, gain nothing
    /// beyond it. This is the one home of the wall-clock cap: learning progress (watched intervals) must credit through it too.
    /// </summary>
    public static double CreditCap(PlaybackSession session, DateTimeOffset now)
    {
        var slackLeft = Math.Max(0, CreditSlack.TotalSeconds - session.CreditAheadSeconds);
        var totalLeft = (now - session.StartedAt + CreditSlack).TotalSeconds - session.WatchTimeSeconds;
        return Math.Max(0, Math.Min(SinceBeat(session, now) + slackLeft, totalLeft));
    }

    public static bool IsValidPosition(double position, PlaybackSession session, PlaybackOptions options) =>
        double.IsFinite(position) && position >= 0 && position <= session.LessonSeconds + options.PositionTolerance.TotalSeconds;

    /// <summary>Credits the forward movement of the position, up to <see cref="CreditCap"/>.</summary>
    public static PlaybackSession Beat(PlaybackSession session, double position, DateTimeOffset now)
    {
        var credit = Math.Clamp(position - session.Position, 0, CreditCap(session, now));
        return session with
        {
            WatchTimeSeconds = session.WatchTimeSeconds + credit,
            CreditAheadSeconds = Math.Max(0, session.CreditAheadSeconds + credit - SinceBeat(session, now)),
            Position = position,
            LastHeartbeat = now,
        };
    }

    /// <summary>The client ends a live session: its last movement is credited like a beat.</summary>
    public static PlaybackSession Finish(PlaybackSession session, double finalPosition, DateTimeOffset now) =>
        session.IsEnded ? session : Close(Beat(session, finalPosition, now), now, EndReasons.Ended);

    /// <summary>Something else ends the session (replace, takeover, transfer, revoke, sign-out): nothing more is credited.</summary>
    public static PlaybackSession Close(PlaybackSession session, DateTimeOffset now, string reason) =>
        session.IsEnded ? session : session with { EndedAt = now, EndReason = reason };

    public static int ExpiresIn(PlaybackSession session, DateTimeOffset now) =>
        Math.Max(0, (int)Math.Ceiling((session.ExpiresAt - now).TotalSeconds));

    private static double SinceBeat(PlaybackSession session, DateTimeOffset now) => Math.Max(0, (now - session.LastHeartbeat).TotalSeconds);

    private static (PlaybackSession? Open, SessionTombstone? Ended) Find(
        IReadOnlyList<PlaybackSession> sessions, IReadOnlyList<SessionTombstone> tombstones,
        Func<PlaybackSession, bool> session, Func<SessionTombstone, bool> tombstone)
    {
        if (sessions.FirstOrDefault(session) is { } found)
        {
            return found.IsEnded ? (null, SessionTombstone.Of(found)) : (found, null);
        }

        return (null, tombstones.FirstOrDefault(tombstone));
    }

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
