using Microsoft.Extensions.Options;

namespace Learning.Playback;

/// <summary>Playback session rules (section <c>Playback</c>).</summary>
public sealed class PlaybackOptions
{
    public const string Section = "Playback";

    /// <summary>A session ends this long after it started, whatever the heartbeats say.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A session without a heartbeat for longer than this is stale and blocks nobody.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often clients are told to beat (<c>heartbeat_interval_seconds</c>).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How far past the lesson's length a reported position may be (players overshoot a little).</summary>
    public TimeSpan PositionTolerance { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Ended sessions remembered per user (as small tombstones, each for <see cref="SessionLifetime"/> after it ended),
    /// so a late heartbeat still learns why its session ended however many sessions were started since.
    /// </summary>
    public int EndedSessionsKept { get; set; } = 1000;

    /// <summary>
    /// Heartbeats change state in memory and are stored at most this often (and when the grain deactivates):
    /// a crash costs at most this much credited watch time, and never a session, which is stored when it starts.
    /// </summary>
    public TimeSpan HeartbeatFlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class PlaybackOptionsValidator : IValidateOptions<PlaybackOptions>
{
    public ValidateOptionsResult Validate(string? name, PlaybackOptions options)
    {
        var problems = new List<string>();
        if (options.SessionLifetime < TimeSpan.FromMinutes(1))
        {
            problems.Add("Playback:SessionLifetime must be at least 1 minute.");
        }

        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add("Playback:HeartbeatInterval must be at least 1 second.");
        }

        if (options.HeartbeatTimeout <= options.HeartbeatInterval)
        {
            problems.Add("Playback:HeartbeatTimeout must be longer than Playback:HeartbeatInterval.");
        }

        if (options.PositionTolerance < TimeSpan.Zero)
        {
            problems.Add("Playback:PositionTolerance must not be negative.");
        }

        if (options.EndedSessionsKept is < 1 or > 1000)
        {
            problems.Add("Playback:EndedSessionsKept must be between 1 and 1000.");
        }

        if (options.HeartbeatFlushInterval <= TimeSpan.Zero || options.HeartbeatFlushInterval >= options.HeartbeatTimeout)
        {
            problems.Add("Playback:HeartbeatFlushInterval must be positive and shorter than Playback:HeartbeatTimeout, or a crash could lose live sessions.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
