using Learning.Accounts;
using Learning.Devices;

namespace Learning.ReadModel;

/// <summary>A position in a newest-first listing: rows strictly older than it come next.</summary>
public readonly record struct PageCursor(DateTimeOffset At, Guid Id);

public sealed record Page<T>(IReadOnlyList<T> Results, PageCursor? Next);

public sealed record UserRow(Guid Id, string Email, string FullName, Role Role, DateTimeOffset CreatedAt, int ActiveDevices, int LiveSessions);

public sealed record DeviceRow(
    Guid Id, string DeviceId, string DeviceName, Platform Platform, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset LastAccessed,
    Guid UserId, string UserEmail);

public sealed record SessionRow(
    Guid Id, Guid UserId, string UserEmail, string DeviceId, string DeviceName, Guid LessonId, string LessonTitle,
    DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, string? EndReason,
    double WatchTimeSeconds, bool Live);

/// <summary>A user's subscription as operators list it (<c>GET /api/admin/subscriptions</c>), newest change first.</summary>
public sealed record SubscriptionRow(
    Guid UserId, string UserEmail, string Status, string? PlanId, DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd,
    DateTimeOffset UpdatedAt);

/// <summary><see cref="EmailPrefix"/>: a case-insensitive prefix of the owner's email.</summary>
public sealed record SubscriptionFilter(string? Status, Guid? UserId, string? EmailPrefix, int Limit, PageCursor? After);

public sealed record UserFilter(string? Email, int Limit, PageCursor? After);

public sealed record DeviceFilter(Guid? UserId, Platform? Platform, bool? IsActive, int Limit, PageCursor? After);

public sealed record SessionFilter(bool? Live, Guid? UserId, int Limit, PageCursor? After)
{
    /// <summary>Only sessions of this lesson (deleting a lesson ends its live sessions).</summary>
    public Guid? LessonId { get; init; }
}

/// <summary>
/// The administration listings, newest first: users by creation, devices by creation, sessions by start. Live
/// sessions are judged at the time of the query with <see cref="Learning.Playback.LiveSessionWindow"/>, from the
/// business clock and <c>Playback</c> options the implementation gets itself, exactly as the grains judge them.
/// </summary>
public interface IOperatorQueries
{
    Task<Page<UserRow>> ListUsersAsync(UserFilter filter, CancellationToken cancellationToken = default);

    Task<Page<DeviceRow>> ListDevicesAsync(DeviceFilter filter, CancellationToken cancellationToken = default);

    Task<Page<SessionRow>> ListSessionsAsync(SessionFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Users' subscriptions, the most recently changed first (by <c>updated_at</c>, then user id).</summary>
    Task<Page<SubscriptionRow>> ListSubscriptionsAsync(SubscriptionFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Who owns a device (by our id), so an admin command can be routed to that user's grain.</summary>
    Task<Guid?> FindDeviceOwnerAsync(Guid deviceId, CancellationToken cancellationToken = default);
}
