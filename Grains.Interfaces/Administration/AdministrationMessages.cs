using Learning.Accounts;
using Learning.Devices;

namespace Learning.Administration;

/// <summary>What an operator sees of one user, as the user's grain holds it now (not the read model's copy).</summary>
[GenerateSerializer, Immutable, Alias("administration.user-detail")]
public sealed record UserDetail(
    [property: Id(0)] UserProfile Profile,
    [property: Id(1)] bool Disabled,
    [property: Id(2)] DateTimeOffset? LockedUntil,
    [property: Id(3)] IReadOnlyList<Device> Devices,
    [property: Id(4)] IReadOnlyList<LiveSessionView> LiveSessions);

/// <summary>A live playback session without its token hash: admin views never show token or code hashes.</summary>
[GenerateSerializer, Immutable, Alias("administration.live-session")]
public sealed record LiveSessionView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] string DeviceName,
    [property: Id(3)] Guid LessonId,
    [property: Id(4)] string LessonTitle,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset LastHeartbeat,
    [property: Id(7)] DateTimeOffset ExpiresAt,
    [property: Id(8)] double WatchTimeSeconds);

/// <summary>The per-device outcome of a bulk deactivation (<c>status</c> in its answer).</summary>
public static class DeactivationStatuses
{
    public const string Deactivated = "deactivated";
    public const string AlreadyInactive = "already_inactive";
    public const string NotFound = "not_found";
}

[GenerateSerializer, Immutable, Alias("administration.device-deactivation")]
public sealed record DeviceDeactivation([property: Id(0)] Guid Id, [property: Id(1)] string Status);
